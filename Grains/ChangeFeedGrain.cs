using Orleans.Concurrency;

namespace BotStateCluster.Grains;

/// <summary>Answers change feed reads on whichever silo receives the call, from the storage; no conversation's grain is touched.</summary>
[StatelessWorker]
public sealed class ChangeFeedGrain(IChangeFeed feed) : Grain, IChangeFeedGrain
{
    Task<IReadOnlyList<ChangeEvent>> IChangeFeedGrain.ReadAsync(TenantId tenant, ChangeCursor after, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, ChangeFeedLimits.MaxLimit);
        return feed.ReadAsync(tenant, after, limit, cancellationToken);
    }
}
