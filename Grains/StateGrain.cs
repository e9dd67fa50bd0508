using BotStateCluster.Grains.Encryption;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Storage;

namespace BotStateCluster.Grains;

/// <summary>
/// One user's conversation. Non-reentrant on purpose: turns of one user run one at a time, so the
/// activation itself is the concurrency control, and a write is acknowledged only once stored.
/// </summary>
public sealed partial class StateGrain(
    [PersistentState(StateGrainOptions.StateName, StateGrainOptions.StorageName)] IPersistentState<StateRecord> record,
    IStateHistoryStore history,
    IConversationKeys keys,
    IOptions<StateGrainOptions> options,
    TimeProvider clock,
    ILogger<StateGrain> logger) : Grain, IStateGrain
{
    private ConversationKey _conversation;
    private ConversationCipher _cipher = null!;

    // With encryption on, the stored record is opened (decrypted) by the first call that needs it, not on activation:
    // a key store that cannot answer is then a 503 of that call, and the next call tries again.
    private bool _opened;

    // The stored data failed its integrity check when opened: every call but an erasure is refused, and nothing of it
    // is held in memory.
    private bool _tampered;

    // The data key was shredded but the tombstone not yet written (or the stored rows are from before an erasure):
    // the conversation is gone, and the next call completes its erasure.
    private bool _keyGone;

    private string UserId => _conversation.User.Value;

    private bool Exists => record.State.HasState;

    private int? CurrentVersion => Exists ? StoredVersion : null;

    // The version of the row, which a tombstone keeps counting; 0 when nothing was ever stored.
    private int StoredVersion => record.Etag is { } etag ? int.Parse(etag, System.Globalization.CultureInfo.InvariantCulture) : 0;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Fails a call made with a raw key rather than GetStateGrain(tenant, userId), before anything is stored.
        _conversation = ConversationKey.FromGrainKey(this.GetPrimaryKeyString());
        _cipher = new ConversationCipher(keys, _conversation);
        return base.OnActivateAsync(cancellationToken);
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _cipher.Dispose();
        return base.OnDeactivateAsync(reason, cancellationToken);
    }

    async Task<VersionedState?> IStateGrain.GetAsync(CancellationToken cancellationToken)
    {
        await BeginAsync();
        return Snapshot();
    }

    async Task<ActiveIntent?> IStateGrain.GetActiveIntentAsync(CancellationToken cancellationToken)
    {
        await BeginAsync();
        return record.State.State is { } state ? new ActiveIntent(UserId, state.ActiveIntentId) : null;
    }

    async Task<WriteResult> IStateGrain.ReplaceAsync(ConversationState state, VersionCondition condition, CancellationToken cancellationToken)
    {
        if (state.ThreadId != UserId)
        {
            throw new ArgumentException($"The state's thread_id '{state.ThreadId}' is not this grain's user id '{UserId}'.", nameof(state));
        }

        await BeginAsync();
        if (!condition.IsMetBy(CurrentVersion))
        {
            return new WriteResult(WriteStatus.PreconditionFailed, Snapshot());
        }

        var created = !Exists;
        await SaveAsync(state, clock.GetUtcNow(), record.State.RecentTurns, created ? ChangeKinds.Created : ChangeKinds.Updated);
        return new WriteResult(created ? WriteStatus.Created : WriteStatus.Updated, Snapshot());
    }

    async Task<WriteResult> IStateGrain.ProcessMessageAsync(IncomingMessage message, VersionCondition condition, string? idempotencyKey, CancellationToken cancellationToken)
    {
        var result = await ProcessMessageAsync(message, condition, idempotencyKey, cancellationToken);
        StateGrainMetrics.CountTurn(_conversation.Tenant, result.Status, result.Replayed);
        return result;
    }

    async Task<WriteResult> IStateGrain.DeleteAsync(VersionCondition condition, CancellationToken cancellationToken)
    {
        // A tampered conversation can still be erased: that is what an operator does with it.
        await OpenAsync();
        if (!condition.IsMetBy(CurrentVersion))
        {
            return new WriteResult(WriteStatus.PreconditionFailed, Snapshot());
        }

        await EraseAsync(ErasureReasons.Deleted);
        return new WriteResult(WriteStatus.Updated, null);
    }

    async Task<bool> IStateGrain.EraseAsync(CancellationToken cancellationToken)
    {
        await OpenAsync();
        var existed = Exists || _tampered;
        await EraseAsync(ErasureReasons.ErasureRequest);
        return existed;
    }

    async Task<bool> IStateGrain.ExpireAsync(DateTimeOffset idleSince, CancellationToken cancellationToken)
    {
        // Calls to this activation run one at a time: a turn either ran before (and the state is no longer
        // idle) or runs after and starts a new conversation. The clear is guarded by the version this
        // activation read, so a write from anywhere else makes it fail rather than erase that write.
        if (!Exists || record.State.SavedAt >= idleSince)
        {
            return false;
        }

        await EraseAsync(ErasureReasons.Expired);
        StateGrainMetrics.CountErased(StateGrainMetrics.ErasedState);
        LogExpired(StoredVersion);
        return true;
    }

    // Where every call that reads or writes the conversation starts.
    private async Task BeginAsync()
    {
        await OpenAsync();
        if (_tampered)
        {
            throw new IntegrityException();
        }

        if (_keyGone)
        {
            // No event: the erasure that shredded the key recorded its own, or happened in a later copy of the data.
            await EraseAsync(reason: null);
        }

        await ExpireIfIdleAsync();
    }

    // Decrypts the stored record once per activation, unwrapping the data key once.
    private async Task OpenAsync()
    {
        if (_opened || !keys.Enabled)
        {
            return;
        }

        try
        {
            if (await _cipher.OpenAsync(record.State, StoredVersion, CancellationToken.None) is { } opened)
            {
                record.State = opened;
            }
            else
            {
                record.State = new StateRecord();
                _keyGone = true;
                LogKeyGone(_conversation.Tenant.Value, StoredVersion);
            }
        }
        catch (IntegrityException)
        {
            record.State = new StateRecord();
            _tampered = true;
            StateGrainMetrics.CountIntegrityError();
            LogTampered(_conversation.Tenant.Value, StoredVersion);
        }

        _opened = true;
    }

    // A conversation idle for longer than STATE_TTL is gone for every caller, even before the sweep reaches it.
    private async Task ExpireIfIdleAsync()
    {
        if (options.Value.StateTimeToLive is { } ttl && Exists && record.State.SavedAt < clock.GetUtcNow() - ttl)
        {
            await EraseAsync(ErasureReasons.Expired);
            StateGrainMetrics.CountErased(StateGrainMetrics.ErasedState);
            LogExpired(StoredVersion);
        }
    }

    private async Task EraseAsync(string? reason)
    {
        if (keys.Enabled)
        {
            // The key goes first: once it is gone, so is every copy of the data, backups included. When it cannot be
            // deleted (the key store is down) nothing is erased and the caller is told so, to try again. Whether a
            // failed deletion happened only the key store knows, so this activation ends and the next asks it.
            try
            {
                await _cipher.ShredAsync(CancellationToken.None);
            }
            catch
            {
                DeactivateOnIdle();
                throw;
            }
        }

        if (Exists || record.State.RecentTurns.Count > 0 || _tampered || _keyGone)
        {
            // A write of no state, not the provider's clear: the row stays as a tombstone with the next version (a stale
            // writer cannot resurrect it), the history goes, and the erasure's event, with its reason, commits with it.
            var previous = record.State;
            record.State = new StateRecord
            {
                SavedAt = clock.GetUtcNow(),
                HistoryLimit = options.Value.HistoryLimit,
                Change = reason is null ? null : ChangeOf(ChangeKinds.Erased, reason),
            };
            try
            {
                await GuardedAsync(() => record.WriteStateAsync(), previous);
            }
            catch when (keys.Enabled)
            {
                // The key is already gone, so the conversation is too; the next call writes the tombstone.
                record.State = new StateRecord();
                _keyGone = true;
                throw;
            }

            _tampered = false;
            _keyGone = false;
        }
    }

    async Task<HistoryPage> IStateGrain.GetHistoryAsync(int limit, int? before, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await BeginAsync();
        // One more than asked tells whether another page exists without a count query.
        var items = await history.ReadAsync(_conversation, limit + 1, before, cancellationToken);
        var page = new List<HistoryItem>(Math.Min(limit, items.Count));
        foreach (var item in items.Take(limit))
        {
            page.Add(await OpenSnapshotAsync(item, cancellationToken));
        }

        return new HistoryPage(UserId, page, items.Count > limit ? page[^1].Version : null);
    }

    async Task<SnapshotLookup> IStateGrain.GetVersionAsync(int version, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(version, 1);
        await BeginAsync();
        return await LookUpAsync(version, cancellationToken);
    }

    async Task<WriteResult> IStateGrain.RestoreAsync(int version, VersionCondition condition, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(version, 1);
        await BeginAsync();
        if (!condition.IsMetBy(CurrentVersion))
        {
            return new WriteResult(WriteStatus.PreconditionFailed, Snapshot());
        }

        if (!Exists)
        {
            return new WriteResult(WriteStatus.NotFound, null);
        }

        var lookup = await LookUpAsync(version, cancellationToken);
        if (lookup.Snapshot is not { } snapshot)
        {
            return new WriteResult(WriteStatus.VersionNotKept, Snapshot(), OldestKeptVersion: lookup.OldestKeptVersion);
        }

        // The snapshot's state exactly, date included; the idempotency receipts stay valid, since versions only grow.
        await SaveAsync(snapshot.State, clock.GetUtcNow(), record.State.RecentTurns, ChangeKinds.Restored);
        return new WriteResult(WriteStatus.Updated, Snapshot());
    }

    async Task<WriteResult> IStateGrain.StartForkAsync(ConversationState state, CancellationToken cancellationToken)
    {
        await BeginAsync();
        if (Exists)
        {
            return new WriteResult(WriteStatus.AlreadyExists, null);
        }

        // The copy becomes this conversation's: its thread_id, and its last message's, name this user. After a tombstone
        // the version goes on counting from it, as for any new state.
        var own = state with
        {
            ThreadId = UserId,
            UserMessage = state.UserMessage is { } message ? message with { ThreadId = UserId } : null,
        };
        await SaveAsync(own, clock.GetUtcNow(), [], ChangeKinds.Forked);
        return new WriteResult(WriteStatus.Created, Snapshot());
    }

    // A conversation without a state has no snapshots: its history went with its erasure.
    private async Task<SnapshotLookup> LookUpAsync(int version, CancellationToken cancellationToken)
    {
        if (Exists && await history.ReadVersionAsync(_conversation, version, cancellationToken) is { } snapshot)
        {
            return new SnapshotLookup(await OpenSnapshotAsync(snapshot, cancellationToken), null);
        }

        return new SnapshotLookup(null, Exists ? await history.OldestVersionAsync(_conversation, cancellationToken) : null);
    }

    async Task<bool> IStateGrain.ImportAsync(ConversationState state, CancellationToken cancellationToken)
    {
        if (state.ThreadId != UserId)
        {
            throw new ArgumentException($"The state's thread_id '{state.ThreadId}' is not this grain's user id '{UserId}'.", nameof(state));
        }

        await BeginAsync();
        if (record.State.State is { } current && current.Date >= state.Date)
        {
            return false;
        }

        await SaveAsync(state, state.Date, record.State.RecentTurns, Exists ? ChangeKinds.Updated : ChangeKinds.Created);
        return true;
    }

    private async Task<WriteResult> ProcessMessageAsync(IncomingMessage message, VersionCondition condition, string? idempotencyKey, CancellationToken cancellationToken)
    {
        await BeginAsync();
        var fingerprint = MessageFingerprint.Of(message);
        if (idempotencyKey is not null && record.State.RecentTurns.Find(turn => turn.Key == idempotencyKey) is { } earlier)
        {
            return MessageFingerprint.Matches(earlier.Fingerprint, fingerprint)
                ? await ReplayAsync(earlier, cancellationToken)
                : new WriteResult(WriteStatus.IdempotencyKeyReused, Snapshot());
        }

        if (!condition.IsMetBy(CurrentVersion))
        {
            return new WriteResult(WriteStatus.PreconditionFailed, Snapshot());
        }

        var now = clock.GetUtcNow();
        var created = !Exists;
        var state = record.State.State ?? ConversationState.New(UserId, now);
        var updated = StateRules.Update(state, StateRules.ToUserMessage(message, UserId), now);

        var turns = record.State.RecentTurns;
        if (idempotencyKey is not null)
        {
            // The storage adds exactly one to the version on every write, so the receipt can name it up front
            // and commit in the same row as the turn it describes.
            turns = [.. turns.TakeLast(StateRecord.MaxRecentTurns - 1), new TurnReceipt(idempotencyKey, fingerprint, StoredVersion + 1)];
        }

        await SaveAsync(updated, now, turns, created ? ChangeKinds.Created : ChangeKinds.Updated);
        LogTurn(_conversation.Tenant.Value, StoredVersion, created);
        return new WriteResult(created ? WriteStatus.Created : WriteStatus.Updated, Snapshot());
    }

    private VersionedState? Snapshot() => record.State.StateJson is { } json ? VersionedState.FromJson(json, StoredVersion) : null;

    private async Task<WriteResult> ReplayAsync(TurnReceipt earlier, CancellationToken cancellationToken)
    {
        if (Snapshot() is { } current && current.Version == earlier.Version)
        {
            return new WriteResult(WriteStatus.Updated, current, Replayed: true);
        }

        // Later turns happened since: the first result is the snapshot of its version, while history keeps it.
        var snapshot = await history.ReadVersionAsync(_conversation, earlier.Version, cancellationToken) is { } stored
            ? await OpenSnapshotAsync(stored, cancellationToken)
            : null;
        return new WriteResult(WriteStatus.Updated, snapshot is null ? Snapshot() : new VersionedState(snapshot.State, snapshot.Version), Replayed: true);
    }

    private async Task SaveAsync(ConversationState state, DateTimeOffset savedAt, List<TurnReceipt> recentTurns, string changeKind)
    {
        var previous = record.State;
        var next = new StateRecord
        {
            State = state,
            SavedAt = savedAt,
            HistoryLimit = options.Value.HistoryLimit,
            RecentTurns = recentTurns,
            Change = ChangeOf(changeKind),
        };
        if (keys.Enabled)
        {
            // The storage adds one to the version with every write, so the ciphertext can be bound to it up front.
            await _cipher.SealAsync(next, state, StoredVersion + 1, CancellationToken.None);
        }

        record.State = next;
        await GuardedAsync(() => record.WriteStateAsync(), previous);
        // Only the write needed the ciphertext; reads are served from the plaintext.
        next.Sealed = null;
    }

    // A snapshot that fails its integrity check is refused; logged once per activation, not once per request.
    private async Task<HistoryItem> OpenSnapshotAsync(StoredSnapshot snapshot, CancellationToken cancellationToken)
    {
        try
        {
            return await _cipher.OpenAsync(snapshot, cancellationToken);
        }
        catch (IntegrityException) when (!_snapshotTamperLogged)
        {
            _snapshotTamperLogged = true;
            StateGrainMetrics.CountIntegrityError();
            LogSnapshotTampered(_conversation.Tenant.Value, snapshot.Version);
            throw;
        }
    }

    private bool _snapshotTamperLogged;

    // The storage writes the event in the write's own statement; with the feed off there is none to write.
    private RecordedChange? ChangeOf(string kind, string? reason = null) => options.Value.ChangesEnabled ? new RecordedChange(kind, reason) : null;

    // A failed write leaves storage unchanged: put the activation back as it was, and when another
    // writer got in between (a version conflict), let the next call start from a fresh read.
    private async Task GuardedAsync(Func<Task> write, StateRecord previous)
    {
        try
        {
            await write();
        }
        catch (Exception exception)
        {
            record.State = previous;
            if (exception is InconsistentStateException)
            {
                LogConflict(exception, _conversation.Tenant.Value);
                DeactivateOnIdle();
            }

            throw;
        }
    }

    // Logs name the tenant, never the user id: a log line is not a place for personal data.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Turn stored for a conversation of tenant {Tenant} at version {Version} (created: {Created})")]
    private partial void LogTurn(string tenant, int version, bool created);

    [LoggerMessage(Level = LogLevel.Debug, Message = "An idle conversation expired; tombstone at version {Version}")]
    private partial void LogExpired(int version);

    [LoggerMessage(Level = LogLevel.Error, Message = "Integrity error: the stored state of a conversation of tenant {Tenant} at version {Version} does not decrypt as this conversation's (tampered, copied from another conversation, or plaintext after encrypt-existing); refused")]
    private partial void LogTampered(string tenant, int version);

    [LoggerMessage(Level = LogLevel.Error, Message = "Integrity error: a snapshot of a conversation of tenant {Tenant} at version {Version} does not decrypt as this conversation's; refused")]
    private partial void LogSnapshotTampered(string tenant, int version);

    [LoggerMessage(Level = LogLevel.Information, Message = "A conversation of tenant {Tenant} is stored at version {Version} but its data key is gone: it was erased, and its tombstone is written now")]
    private partial void LogKeyGone(string tenant, int version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Version conflict writing a conversation of tenant {Tenant}; the activation will reload it")]
    private partial void LogConflict(Exception exception, string tenant);
}
