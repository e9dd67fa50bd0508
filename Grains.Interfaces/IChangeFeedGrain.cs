namespace BotStateCluster;

/// <summary>
/// Reads a tenant's change feed (DESIGN section 13) on whichever silo receives the call, straight from the storage. A
/// stateless worker: address it with key 0.
/// </summary>
[Alias("BotState.IChangeFeedGrain")]
public interface IChangeFeedGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Up to <paramref name="limit"/> (1 to <see cref="ChangeFeedLimits.MaxLimit"/>) events of <paramref name="tenant"/>
    /// after <paramref name="after"/>, oldest first. A reader that resumes from the last event's cursor sees every event
    /// once, in each conversation's version order.
    /// </summary>
    [Alias("Read")]
    Task<IReadOnlyList<ChangeEvent>> ReadAsync(TenantId tenant, ChangeCursor after, int limit, CancellationToken cancellationToken = default);
}

/// <summary>The bounds of a change feed read.</summary>
public static class ChangeFeedLimits
{
    /// <summary>The most events one read returns.</summary>
    public const int MaxLimit = 1000;

    /// <summary>The events one read returns when none is asked for.</summary>
    public const int DefaultLimit = 100;
}
