namespace BotStateCluster.Gateway.Cluster;

/// <summary>
/// Keeps trying to reach the cluster at start-up instead of failing: the gateway may start before
/// any silo does (run.sh, a rolling deploy). Shutdown ends the wait.
/// </summary>
internal sealed partial class ConnectRetryFilter(ILogger<ConnectRetryFilter> logger) : IClientConnectionRetryFilter
{
    private static readonly TimeSpan Pause = TimeSpan.FromSeconds(1);

    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        LogRetry(exception.Message);
        try
        {
            await Task.Delay(Pause, cancellationToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No silo reachable yet ({Reason}); retrying")]
    private partial void LogRetry(string reason);
}
