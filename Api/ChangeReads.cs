namespace BotStateCluster.Api;

/// <summary>Reads of a tenant's change feed that wait for something new: the long poll and the event stream.</summary>
internal static class ChangeReads
{
    /// <summary>
    /// How often a waiting reader looks again. Events come from every silo, so there is no local signal to wait for; a
    /// look is one indexed read of the tenant's newest events.
    /// </summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// The events after <paramref name="after"/>, as soon as there is one, or none once <paramref name="wait"/> has
    /// passed with nothing new, or at once when <paramref name="stopWaiting"/> fires (the process is shutting down: a
    /// waiting reader must not hold up its graceful stop).
    /// </summary>
    public static async Task<IReadOnlyList<ChangeEvent>> NextAsync(
        IGrainFactory grains, ClusterRetry retry, TenantId tenant, ChangeCursor after, int limit, TimeSpan wait, TimeProvider clock, CancellationToken stopWaiting, CancellationToken cancellationToken)
    {
        var feed = grains.GetGrain<IChangeFeedGrain>(0);
        var deadline = clock.GetUtcNow() + wait;
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(stopWaiting, cancellationToken);
        while (true)
        {
            var events = await retry.OnceAsync(() => feed.ReadAsync(tenant, after, limit, cancellationToken), cancellationToken);
            var left = deadline - clock.GetUtcNow();
            if (events.Count > 0 || left <= TimeSpan.Zero || stopWaiting.IsCancellationRequested)
            {
                return events;
            }

            try
            {
                await Task.Delay(left < PollInterval ? left : PollInterval, clock, waiting.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return events;
            }
        }
    }
}
