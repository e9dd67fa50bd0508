using System.Net;
using System.Net.Sockets;

namespace BotStateCluster.EndToEndTests;

/// <summary>
/// A process that cannot start where it is (a database that refuses it or never comes up, a port in use, an open
/// dashboard beyond loopback) stops with exit code 2 and one line saying why: no unhandled exception, no abort.
/// </summary>
public sealed class StartupErrorTests : IAsyncLifetime
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(60);
    private readonly ServiceCluster _cluster = new();

    [Fact]
    public async Task ADatabaseThatRefusesTheSiloStopsItAtOnceWithOneLine()
    {
        // The test servers trust every password, so the refusal here is a missing database: the same kind of failure
        // as a wrong password (an operator must act), and equally not waited for.
        var url = new UriBuilder(SharedPostgresUrl) { Path = $"botstate_missing_{Guid.NewGuid():N}" }.Uri.ToString();

        var silo = await ExitedAsync(_cluster.Launch(ServiceKind.Silo, new Dictionary<string, string> { ["DB_URL"] = url, ["CLUSTERING"] = "localhost" }));

        var line = AssertOneStartupLine(silo);
        Assert.Contains("refused", line);
        Assert.Contains("3D000", line);
        Assert.DoesNotContain("Waiting for", silo.Output);
    }

    [Fact]
    public async Task AnUnreachableDatabaseIsWaitedForWithinDbStartupTimeoutThenOneLine()
    {
        var closedPort = FreePort.Next();
        var silo = await ExitedAsync(_cluster.Launch(ServiceKind.Silo, new Dictionary<string, string>
        {
            ["DB_URL"] = $"postgresql://botstate:secret-password@127.0.0.1:{closedPort}/botstate",
            ["CLUSTERING"] = "localhost",
            ["DB_STARTUP_TIMEOUT"] = "2",
        }));

        var line = AssertOneStartupLine(silo);
        Assert.Contains("gave up on postgresql", line);
        Assert.Contains("DB_STARTUP_TIMEOUT", line);
        Assert.Contains("Waiting for postgresql", silo.Output);
        Assert.DoesNotContain("secret-password", silo.Output);
    }

    [Fact]
    public async Task ATakenSiloPortStopsTheSiloWithOneLineNamingIt()
    {
        using var holder = new TcpListener(IPAddress.Loopback, _cluster.SiloPort);
        holder.Start();

        var silo = await ExitedAsync(_cluster.Launch(ServiceKind.Silo));

        Assert.Contains("SILO_PORT", AssertOneStartupLine(silo));
    }

    [Fact]
    public async Task ATakenHttpPortStopsTheSiloWithOneLine()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;

        var silo = await ExitedAsync(_cluster.Launch(ServiceKind.Silo, new Dictionary<string, string> { ["Kestrel__Endpoints__Http__Url"] = $"http://127.0.0.1:{port}" }));

        Assert.Contains("address already in use", AssertOneStartupLine(silo));
    }

    [Fact]
    public async Task AnOpenDashboardOnAKestrelEndpointBeyondLoopbackStopsTheSilo()
    {
        var silo = await ExitedAsync(_cluster.Launch(ServiceKind.Silo, new Dictionary<string, string> { ["Kestrel__Endpoints__Open__Url"] = $"http://0.0.0.0:{FreePort.Next()}" }));

        Assert.Equal(2, silo.ExitCode);
        var line = Assert.Single(silo.StandardError, text => !string.IsNullOrWhiteSpace(text));
        Assert.StartsWith("configuration error: DASHBOARD_USERNAME and DASHBOARD_PASSWORD are required", line);
        Assert.Contains("0.0.0.0", line);
    }

    private static string AssertOneStartupLine(ServiceProcess process)
    {
        Assert.True(process.ExitCode == 2, $"exit code {process.ExitCode}, not 2{Environment.NewLine}{process.Describe()}");
        var line = Assert.Single(process.StandardError, text => !string.IsNullOrWhiteSpace(text));
        Assert.StartsWith("start-up error: ", line);
        Assert.DoesNotContain("Unhandled exception", process.Output);
        return line;
    }

    private static async Task<ServiceProcess> ExitedAsync(ServiceProcess process)
    {
        Assert.True(await process.WaitForExitAsync(ExitTimeout), $"the {process.Kind} did not exit within {ExitTimeout.TotalSeconds} s{Environment.NewLine}{process.Describe()}");
        return process;
    }

    private static string SharedPostgresUrl => Environment.GetEnvironmentVariable("PG_TEST_URL") is { Length: > 0 } url
        ? url
        : throw new InvalidOperationException("PG_TEST_URL is not set: run the tests through ./test.sh, which provides a PostgreSQL.");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _cluster.DisposeAsync();
}
