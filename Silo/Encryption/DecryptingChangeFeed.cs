using System.Text;
using BotStateCluster.Grains;
using BotStateCluster.Grains.Encryption;
using BotStateCluster.Silo.Storage;

namespace BotStateCluster.Silo.Encryption;

/// <summary>
/// The change feed with encryption on: each event's stored state is the conversation's ciphertext, opened here for the
/// reader (the API and the webhooks), one key unwrap per conversation per page. An erased conversation's events keep
/// their kind and version but carry no state: its key is gone. An event that fails its integrity check carries none
/// either, and is logged.
/// </summary>
internal sealed partial class DecryptingChangeFeed(SqlChangeFeed feed, IConversationKeys keys, ILogger<DecryptingChangeFeed> logger) : IChangeFeed
{
    public async Task<IReadOnlyList<ChangeEvent>> ReadAsync(TenantId tenant, ChangeCursor after, int limit, CancellationToken cancellationToken) =>
        await OpenAsync(tenant, await feed.ReadAsync(tenant, after, limit, cancellationToken), cancellationToken);

    public async Task<ChangeEvent?> ReadOneAsync(TenantId tenant, ChangeCursor cursor, CancellationToken cancellationToken) =>
        await feed.ReadOneAsync(tenant, cursor, cancellationToken) is { } change ? (await OpenAsync(tenant, [change], cancellationToken))[0] : null;

    private async Task<IReadOnlyList<ChangeEvent>> OpenAsync(TenantId tenant, IReadOnlyList<ChangeEvent> events, CancellationToken cancellationToken)
    {
        var dataKeys = new Dictionary<string, SealingKey?>(StringComparer.Ordinal);
        try
        {
            var opened = new List<ChangeEvent>(events.Count);
            foreach (var change in events)
            {
                opened.Add(change.StateJson is { } stored ? change with { StateJson = await OpenAsync(tenant, change, stored, dataKeys, cancellationToken) } : change);
            }

            return opened;
        }
        finally
        {
            foreach (var key in dataKeys.Values)
            {
                key?.Dispose();
            }
        }
    }

    private async Task<string?> OpenAsync(TenantId tenant, ChangeEvent change, string stored, Dictionary<string, SealingKey?> dataKeys, CancellationToken cancellationToken)
    {
        var conversation = new ConversationKey(tenant, UserId.Parse(change.ThreadId));
        try
        {
            if (SealedEnvelope.SealedBytes(stored) is not { } sealedState)
            {
                return await keys.RefusesPlaintextAsync(cancellationToken) ? throw new IntegrityException() : stored;
            }

            if (!dataKeys.TryGetValue(change.ThreadId, out var key))
            {
                key = dataKeys[change.ThreadId] = await keys.FindAsync(conversation, cancellationToken);
            }

            return key is null ? null : Encoding.UTF8.GetString(key.Open(sealedState, RowBinding.Of(RowBinding.State, conversation, change.Version)));
        }
        catch (IntegrityException)
        {
            StateGrainMetrics.CountIntegrityError();
            LogTampered(tenant.Value, change.Cursor.Sequence);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Integrity error: the change event {Sequence} of tenant {Tenant} does not decrypt as its conversation's; served without its state")]
    private partial void LogTampered(string tenant, long sequence);
}
