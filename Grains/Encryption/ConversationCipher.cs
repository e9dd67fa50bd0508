using System.Text.Json.Nodes;

namespace BotStateCluster.Grains.Encryption;

/// <summary>
/// One activation's view of its conversation's data key: fetched and unwrapped once, then used for every write and
/// every snapshot read until the activation ends or the key is shredded. With encryption off it only parses.
/// </summary>
public sealed class ConversationCipher(IConversationKeys keys, ConversationKey conversation) : IDisposable
{
    private SealingKey? _key;

    public bool Enabled => keys.Enabled;

    /// <summary>
    /// The stored record as plaintext, or null when it is sealed under a key that is gone (the conversation was
    /// erased, perhaps in a later copy of the data than this one).
    /// </summary>
    /// <exception cref="IntegrityException">Altered, sealed for another conversation or version, or plaintext where it may not be.</exception>
    public async Task<StateRecord?> OpenAsync(StateRecord stored, int version, CancellationToken cancellationToken)
    {
        if (stored.Sealed is not { } sealedRecord)
        {
            return stored.HasState && await keys.RefusesPlaintextAsync(cancellationToken) ? throw new IntegrityException() : stored;
        }

        if (await KeyAsync(cancellationToken) is not { } key)
        {
            return null;
        }

        var state = key.Open(sealedRecord.State, RowBinding.Of(RowBinding.State, conversation, version));
        var receipts = sealedRecord.Receipts is { } sealedReceipts
            ? StateRecordSerializer.ReadReceipts(key.Open(sealedReceipts, RowBinding.Of(RowBinding.Receipts, conversation, version)))
            : [];
        return new StateRecord
        {
            State = BotStateCluster.StateJson.FromStoredJson(JsonNode.Parse(state)!),
            SavedAt = stored.SavedAt,
            HistoryLimit = stored.HistoryLimit,
            RecentTurns = receipts,
        };
    }

    /// <summary>Sets <paramref name="record"/>'s <see cref="StateRecord.Sealed"/> for its write as <paramref name="version"/>, creating the key with the first write.</summary>
    public async Task SealAsync(StateRecord record, ConversationState state, int version, CancellationToken cancellationToken)
    {
        _key ??= await keys.GetOrCreateAsync(conversation, cancellationToken);
        record.Sealed = new SealedRecord(
            _key.Seal(record.StateJson ?? throw new ArgumentException("A tombstone has nothing to seal.", nameof(record)), RowBinding.Of(RowBinding.State, conversation, version)),
            record.RecentTurns.Count == 0 ? null : _key.Seal(StateRecordSerializer.ReceiptsJson(record.RecentTurns), RowBinding.Of(RowBinding.Receipts, conversation, version)),
            state.CurrentNode,
            state.ActiveIntentId);
    }

    /// <summary>
    /// A plaintext state as stored (in <c>states</c>, <c>state_history</c> or <c>changes</c>) at <paramref name="version"/>,
    /// sealed into its envelope's JSON text: what <c>encrypt-existing</c> writes in its place.
    /// </summary>
    public async Task<string> SealStoredAsync(string storedState, int version, CancellationToken cancellationToken)
    {
        _key ??= await keys.GetOrCreateAsync(conversation, cancellationToken);
        var state = BotStateCluster.StateJson.FromStoredJson(JsonNode.Parse(storedState) ?? throw new IntegrityException());
        var sealedState = _key.Seal(System.Text.Encoding.UTF8.GetBytes(storedState), RowBinding.Of(RowBinding.State, conversation, version));
        return System.Text.Encoding.UTF8.GetString(JsonBytes.Write(state, (writer, parsed) => SealedEnvelope.Write(writer, sealedState, parsed.CurrentNode, parsed.ActiveIntentId)));
    }

    /// <summary>A snapshot as stored in <c>state_history</c>, opened.</summary>
    /// <exception cref="IntegrityException">As <see cref="OpenAsync(StateRecord, int, CancellationToken)"/>, or sealed while the key is gone.</exception>
    public async Task<HistoryItem> OpenAsync(StoredSnapshot snapshot, CancellationToken cancellationToken)
    {
        var stored = JsonNode.Parse(snapshot.State) as JsonObject ?? throw new IntegrityException();
        if (Enabled && SealedEnvelope.SealedBytes(stored) is { } sealedState)
        {
            var key = await KeyAsync(cancellationToken) ?? throw new IntegrityException();
            stored = JsonNode.Parse(key.Open(sealedState, RowBinding.Of(RowBinding.State, conversation, snapshot.Version))) as JsonObject ?? throw new IntegrityException();
        }
        else if (Enabled && await keys.RefusesPlaintextAsync(cancellationToken))
        {
            throw new IntegrityException();
        }

        return new HistoryItem(snapshot.Version, snapshot.SavedAt, BotStateCluster.StateJson.FromStoredJson(stored));
    }

    /// <summary>
    /// Deletes the data key: from now on every copy of this conversation's data is unreadable. The key held is
    /// forgotten even when the deletion fails, since it may still have happened: the key store decides.
    /// </summary>
    public async Task ShredAsync(CancellationToken cancellationToken)
    {
        try
        {
            await keys.ShredAsync(conversation, cancellationToken);
        }
        finally
        {
            Dispose();
        }
    }

    public void Dispose()
    {
        _key?.Dispose();
        _key = null;
    }

    private async Task<SealingKey?> KeyAsync(CancellationToken cancellationToken) => _key ??= await keys.FindAsync(conversation, cancellationToken);
}
