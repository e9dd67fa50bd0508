using BotStateCluster.ServiceDefaults;

namespace BotStateCluster.Gateway.Cluster;

/// <summary>
/// Keeps trying to reach the cluster at start-up instead of failing: the gateway may start before
/// any silo does (run.sh, a rolling deploy), or before the membership database is up. A database that
/// refuses the gateway (password, missing database) is not waited for: start-up ends with one line.
/// Shutdown ends the wait.
/// </summary>
internal sealed partial class ConnectRetryFilter(ILogger<ConnectRetryFilter> logger) : IClientConnectionRetryFilter
{
    private static readonly TimeSpan Pause = TimeSpan.FromSeconds(1);

    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        // With database membership, the silos are found through the database: its failure is not a missing silo.
        if (DatabaseFailure.Classify(exception) is { } kind)
        {
            if (!DatabaseFailure.IsWorthWaitingFor(exception))
            {
                return false;
            }

            LogDatabaseRetry(DatabaseFailure.Describe(kind, exception));
        }
        else
        {
            LogRetry(exception.Message);
        }

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

    [LoggerMessage(Level = LogLevel.Warning, Message = "The cluster's membership database cannot be read: {Reason}; retrying")]
    private partial void LogDatabaseRetry(string reason);
}
