namespace BotStateCluster.Grains;

/// <summary>Reads the snapshots that the storage wrote next to each state, as stored: the grain opens them.</summary>
public interface IStateHistoryStore
{
    /// <summary>Snapshots of <paramref name="conversation"/>, newest first, older than <paramref name="before"/> when given.</summary>
    Task<IReadOnlyList<StoredSnapshot>> ReadAsync(ConversationKey conversation, int limit, int? before, CancellationToken cancellationToken);

    /// <summary>The snapshot of one version, or null when it is not kept.</summary>
    Task<StoredSnapshot?> ReadVersionAsync(ConversationKey conversation, int version, CancellationToken cancellationToken);

    /// <summary>The oldest version whose snapshot is kept, or null when none is.</summary>
    Task<int?> OldestVersionAsync(ConversationKey conversation, CancellationToken cancellationToken);
}
