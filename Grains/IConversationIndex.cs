namespace BotStateCluster.Grains;

/// <summary>Lists conversations from the storage's indexes, never through their grains.</summary>
public interface IConversationIndex
{
    /// <summary>
    /// Up to <paramref name="limit"/> live conversations matching <paramref name="query"/>'s filters, newest
    /// update first, strictly after its cursor, and not older than <paramref name="notUpdatedBefore"/> when given.
    /// </summary>
    Task<IReadOnlyList<ConversationSummary>> ListAsync(ConversationQuery query, int limit, DateTimeOffset? notUpdatedBefore, CancellationToken cancellationToken);
}
