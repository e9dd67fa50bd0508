namespace BotStateCluster.EndToEndTests;

/// <summary>A wrong setting stops a process at start-up with exit code 2 and one line naming the variable.</summary>
public sealed class ConfigurationErrorTests : IAsyncLifetime
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(30);
    private readonly ServiceCluster _cluster = new();

    public static TheoryData<ServiceKind, string, string> BadSettings => new()
    {
        { ServiceKind.Gateway, "READINESS_TIMEOUT", "abc" },
        { ServiceKind.Gateway, "MAX_BODY_BYTES", "5" },
        { ServiceKind.Gateway, "API_KEYS", "short" },
        { ServiceKind.Gateway, "API_KEYS", ", ," },
        { ServiceKind.Silo, "DB_STARTUP_TIMEOUT", "-1" },
        { ServiceKind.Silo, "HISTORY_LIMIT", "-1" },
        { ServiceKind.Silo, "DB_URL", "mysql://user:secret-password@db/x" },
        { ServiceKind.Silo, "LOG_LEVEL", "LOUD" },
        { ServiceKind.Silo, "CLUSTERING", "zookeeper" },
        { ServiceKind.Silo, "DB_POOL_SIZE", "0" },
        { ServiceKind.Silo, "STATE_TTL", "2 weeks" },
        { ServiceKind.Silo, "RETENTION_SWEEP_INTERVAL", "0s" },
        { ServiceKind.Silo, "ACTIVATION_IDLE_TIMEOUT", "30s" },
        { ServiceKind.Silo, "WEBHOOK_URL", "http://127.0.0.1:9/hooks" },
        { ServiceKind.Silo, "WEBHOOK_ATTEMPTS", "0" },
        { ServiceKind.Silo, "CHANGES_TTL", "soon" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task AWrongValueStopsStartUpWithOneLineNamingTheVariable(ServiceKind kind, string variable, string value)
    {
        var process = _cluster.Launch(kind, new Dictionary<string, string> { [variable] = value });

        Assert.True(await process.WaitForExitAsync(ExitTimeout), $"{kind} with {variable}={value} did not exit within {ExitTimeout.TotalSeconds} s.{Environment.NewLine}{process.Describe()}");
        Assert.Equal(2, process.ExitCode);
        var line = Assert.Single(process.StandardError, text => !string.IsNullOrWhiteSpace(text));
        Assert.StartsWith("configuration error:", line);
        Assert.Contains(variable, line);
        Assert.DoesNotContain("secret-password", process.Output);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _cluster.DisposeAsync();
}
