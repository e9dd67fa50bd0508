namespace BotStateCluster.Api;

/// <summary>
/// Tries a grain call a second time when its silo was lost: the second attempt reaches the grain's new
/// activation. Safe for reads, and for turns because every turn the gateway sends carries an
/// idempotency key, so a first attempt that did run is replayed, not applied twice.
/// </summary>
internal static class ClusterRetry
{
    public static async Task<T> OnceAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call();
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested && ServiceUnavailable.IsSiloLost(exception))
        {
            return await call();
        }
    }
}
