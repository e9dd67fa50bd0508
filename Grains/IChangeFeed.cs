namespace BotStateCluster.Grains;

/// <summary>Reads the change feed that the storage writes beside each change.</summary>
public interface IChangeFeed
{
    /// <summary>
    /// Up to <paramref name="limit"/> events of <paramref name="tenant"/> after <paramref name="after"/>, oldest first.
    /// Only final events: one that commits later always comes after the last one returned here.
    /// </summary>
    Task<IReadOnlyList<ChangeEvent>> ReadAsync(TenantId tenant, ChangeCursor after, int limit, CancellationToken cancellationToken);

    /// <summary>The event at <paramref name="cursor"/>, or null when it is not kept (purged after <c>CHANGES_TTL</c>).</summary>
    Task<ChangeEvent?> ReadOneAsync(TenantId tenant, ChangeCursor cursor, CancellationToken cancellationToken);
}
