using Microsoft.Extensions.Options;

namespace BotStateCluster.ServiceDefaults;

/// <summary>
/// Runs a process so that bad configuration ends it with one clear line naming the variable
/// (exit code 2) instead of a stack trace.
/// </summary>
public static class ServiceRunner
{
    /// <summary>Exit code of a process stopped by its configuration.</summary>
    public const int ConfigurationExitCode = 2;

    /// <summary>Runs <paramref name="run"/> and maps configuration failures to one line on standard error.</summary>
    public static async Task<int> RunAsync(Func<Task<int>> run)
    {
        try
        {
            return await run();
        }
        catch (Exception exception) when (ConfigurationProblem(exception) is { } problem)
        {
            await Console.Error.WriteLineAsync($"configuration error: {problem}");
            return ConfigurationExitCode;
        }
    }

    private static string? ConfigurationProblem(Exception exception) => exception switch
    {
        ConfigurationError error => error.Message,
        OptionsValidationException validation => string.Join(" ", validation.Failures),
        // The binder's own message names the variable and the expected type.
        InvalidOperationException { Message: var message } when message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal) => message,
        AggregateException aggregate => aggregate.InnerExceptions.Select(ConfigurationProblem).FirstOrDefault(problem => problem is not null),
        { InnerException: { } inner } => ConfigurationProblem(inner),
        _ => null,
    };
}
