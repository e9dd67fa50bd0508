namespace BotStateCluster.Api.Keys;

/// <summary>
/// Re-reads <c>API_KEYS_FILE</c> every second, so that a key added or revoked takes effect within seconds and without a
/// restart. Polling rather than file events: a Kubernetes Secret is updated by swapping a symbolic link, which file
/// watchers miss, and reading a small file once a second costs nothing.
/// </summary>
internal sealed partial class ApiKeyFileWatcher(ApiKeyRing ring, TimeProvider clock, ILogger<ApiKeyFileWatcher> logger) : BackgroundService
{
    /// <summary>How often the file is read; a revoked key is refused within this (and well within 5 s).</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (ring.File is null)
        {
            return;
        }

        using var timer = new PeriodicTimer(Interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var result = ring.TryReload();
            switch (result.Outcome)
            {
                case ReloadOutcome.Reloaded:
                    var keys = ring.Current;
                    LogReloaded(keys.Entries.Count, keys.Tenants.Count);
                    break;
                case ReloadOutcome.Refused:
                    LogRefused(result.Reason!);
                    break;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "API_KEYS_FILE changed: {Keys} keys of {Tenants} tenants in force")]
    private partial void LogReloaded(int keys, int tenants);

    [LoggerMessage(Level = LogLevel.Warning, Message = "API_KEYS_FILE changed but cannot be used: {Reason}; the last good keys stay in force")]
    private partial void LogRefused(string reason);
}
