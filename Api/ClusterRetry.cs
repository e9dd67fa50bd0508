namespace BotStateCluster.Api;

/// <summary>
/// Tries a grain call a second time when its silo was lost or is leaving: the second attempt reaches the grain's new
/// activation. Safe for reads, and for turns because every turn the gateway sends carries an idempotency key, so a
/// first attempt that did run is replayed, not applied twice.
/// </summary>
/// <remarks>
/// A silo that leaves (SIGTERM) hands its grains over, then refuses every call ("Silo stopping") until it is marked
/// dead, a fraction of a second later; until the other silos learn that, they route calls for the grains it held to
/// it, and it may route them back to itself. A second attempt sent at once meets the same route and answers 503. So
/// the second attempt waits until this process has seen the cluster change since the first one began: at once when it
/// already has (a lost connection abandoned the call), otherwise until the silo is gone, at most
/// <see cref="SettleTimeout"/>.
/// </remarks>
internal sealed class ClusterRetry(IClusterChangeSignal changes)
{
    /// <summary>
    /// Longest wait for the change before the second attempt: a leaving silo is gone well within it, and when the second
    /// attempt fails as well the 503 still comes within the 2 s the contract gives it.
    /// </summary>
    public static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(1);

    public async Task<T> OnceAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        var change = changes.NextChange;
        try
        {
            return await call();
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested && ServiceUnavailable.IsSiloLost(exception))
        {
            await change.WaitAsync(SettleTimeout, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            return await call();
        }
    }
}
