using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace BotStateCluster.Grains;

/// <summary>
/// Answers listings on whichever silo receives the call, straight from the index: the listed users'
/// grains stay untouched, and no state is read.
/// </summary>
[StatelessWorker]
public sealed class ConversationCatalogGrain(IConversationIndex index, IOptions<StateGrainOptions> options, TimeProvider clock) : Grain, IConversationCatalogGrain
{
    async Task<ConversationPage> IConversationCatalogGrain.ListAsync(ConversationQuery query, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.Limit, ConversationQuery.MaxLimit);
        // Conversations past STATE_TTL are as good as erased even before the sweep reaches them.
        var notBefore = options.Value.StateTimeToLive is { } ttl ? clock.GetUtcNow() - ttl : (DateTimeOffset?)null;
        // One more than asked tells whether another page exists without a count query.
        var items = await index.ListAsync(query, query.Limit + 1, notBefore, cancellationToken);
        var page = items.Take(query.Limit).ToList();
        return new ConversationPage(page, items.Count > query.Limit ? new ConversationCursor(page[^1].UpdatedAt, page[^1].ThreadId) : null);
    }
}
