using BotStateCluster.ServiceDefaults;
using Microsoft.Extensions.Options;

namespace BotStateCluster.UnitTests;

[CollectionDefinition("Console", DisableParallelization = true)]
public sealed class ConsoleCollection;

[Collection("Console")]
public sealed class ServiceRunnerTests
{
    private static async Task<(int ExitCode, string Error)> RunCapturingStderr(Func<Task<int>> run)
    {
        var original = Console.Error;
        using var error = new StringWriter();
        Console.SetError(error);
        try
        {
            var exitCode = await ServiceRunner.RunAsync(run);
            return (exitCode, error.ToString());
        }
        finally
        {
            Console.SetError(original);
        }
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [Fact]
    public async Task ExitCodeOfTheDelegateIsReturned()
    {
        var (exitCode, error) = await RunCapturingStderr(() => Task.FromResult(17));

        Assert.Equal(17, exitCode);
        Assert.Equal("", error);
    }

    [Fact]
    public async Task ConfigurationErrorExitsWithTwoAndOneLine()
    {
        var (exitCode, error) = await RunCapturingStderr(() => throw new ConfigurationError("DB_POOL_SIZE must be between 1 and 1000, not 0."));

        Assert.Equal(2, exitCode);
        Assert.Equal(ServiceRunner.ConfigurationExitCode, exitCode);
        Assert.Equal(["configuration error: DB_POOL_SIZE must be between 1 and 1000, not 0."], Lines(error));
    }

    [Fact]
    public async Task ConfigurationErrorThrownAfterAnAwaitExitsWithTwo()
    {
        var (exitCode, error) = await RunCapturingStderr(async () =>
        {
            await Task.Yield();
            throw new ConfigurationError("LOG_LEVEL must be one of …");
        });

        Assert.Equal(2, exitCode);
        Assert.StartsWith("configuration error: LOG_LEVEL", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OptionsValidationExceptionExitsWithTwoAndOneLineWithEveryFailure()
    {
        var validation = new OptionsValidationException("", typeof(ClusterSettings), ["SILO_PORT must be a TCP port (1-65535), not 0.", "CLUSTERING must be 'localhost' or 'adonet', not 'x'."]);

        var (exitCode, error) = await RunCapturingStderr(() => throw validation);

        Assert.Equal(2, exitCode);
        var line = Assert.Single(Lines(error));
        Assert.StartsWith("configuration error: ", line, StringComparison.Ordinal);
        Assert.Contains("SILO_PORT", line, StringComparison.Ordinal);
        Assert.Contains("CLUSTERING", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrappedConfigurationErrorExitsWithTwo()
    {
        var (exitCode, error) = await RunCapturingStderr(() =>
            throw new InvalidOperationException("host failed", new ConfigurationError("READINESS_TIMEOUT must be …")));

        Assert.Equal(2, exitCode);
        Assert.Equal(["configuration error: READINESS_TIMEOUT must be …"], Lines(error));
    }

    [Fact]
    public async Task AggregatedConfigurationErrorExitsWithTwo()
    {
        var (exitCode, error) = await RunCapturingStderr(() =>
            throw new AggregateException(new TimeoutException("other"), new ConfigurationError("MAX_BODY_BYTES must be …")));

        Assert.Equal(2, exitCode);
        Assert.Equal(["configuration error: MAX_BODY_BYTES must be …"], Lines(error));
    }

    [Fact]
    public async Task BinderConversionFailureExitsWithTwo()
    {
        const string Message = "Failed to convert configuration value 'abc' at 'SILO_PORT' to type 'System.Int32'.";

        var (exitCode, error) = await RunCapturingStderr(() => throw new InvalidOperationException(Message));

        Assert.Equal(2, exitCode);
        Assert.Equal(["configuration error: " + Message], Lines(error));
    }

    [Fact]
    public async Task OtherExceptionsPropagateWithoutWritingALine()
    {
        var original = Console.Error;
        using var error = new StringWriter();
        Console.SetError(error);
        try
        {
            var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => ServiceRunner.RunAsync(() => throw new InvalidOperationException("boom")));

            Assert.Equal("boom", thrown.Message);
            Assert.Equal("", error.ToString());
        }
        finally
        {
            Console.SetError(original);
        }
    }
}
