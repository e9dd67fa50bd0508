namespace BotStateCluster;

/// <summary>
/// The conversation state of one user of a tenant. Get it with
/// <see cref="StateGrainFactoryExtensions.GetStateGrain(IGrainFactory, TenantId, UserId)"/>; every write is durable when the call returns.
/// </summary>
/// <remarks>
/// The states and messages sent are <see cref="ImmutableAttribute">[Immutable]</see> arguments: the grain keeps them as
/// they are, so a caller must not change one after sending it. In exchange no call copies them, and creating a
/// reference to a grain resolves no copiers (it did so by reflection, on every request of the gateway).
/// </remarks>
[Alias("BotState.IStateGrain")]
public interface IStateGrain : IGrainWithStringKey
{
    /// <summary>The current state and its version, or null when the conversation has none.</summary>
    [Alias("Get")]
    Task<VersionedState?> GetAsync(CancellationToken cancellationToken = default);

    /// <summary>Replaces the state with <paramref name="state"/> when <paramref name="condition"/> holds.</summary>
    [Alias("Replace")]
    Task<WriteResult> ReplaceAsync([Immutable] ConversationState state, VersionCondition condition, CancellationToken cancellationToken = default);

    /// <summary>
    /// One turn: creates the state when missing, then applies the user's message (<c>update()</c>).
    /// A turn repeated with the same <paramref name="idempotencyKey"/> returns the first result and
    /// is not applied twice.
    /// </summary>
    [Alias("ProcessMessage")]
    Task<WriteResult> ProcessMessageAsync([Immutable] IncomingMessage message, VersionCondition condition, string? idempotencyKey = null, CancellationToken cancellationToken = default);

    /// <summary>Forgets the conversation, state and history; the version keeps counting.</summary>
    [Alias("Delete")]
    Task<WriteResult> DeleteAsync(VersionCondition condition, CancellationToken cancellationToken = default);

    /// <summary>
    /// Forgets the conversation exactly as <see cref="DeleteAsync"/> does, unconditionally; true when a state
    /// existed (a bulk erasure reports the others as not found).
    /// </summary>
    [Alias("Erase")]
    Task<bool> EraseAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Retention: forgets the conversation as <see cref="DeleteAsync"/> does only when it was last written
    /// before <paramref name="idleSince"/>; true when it was erased. A turn that landed first keeps it.
    /// </summary>
    [Alias("Expire")]
    Task<bool> ExpireAsync(DateTimeOffset idleSince, CancellationToken cancellationToken = default);

    /// <summary>Saved snapshots, newest first, at most <paramref name="limit"/>, older than version <paramref name="before"/> when given.</summary>
    [Alias("GetHistory")]
    Task<HistoryPage> GetHistoryAsync(int limit, int? before = null, CancellationToken cancellationToken = default);

    /// <summary>The snapshot of <paramref name="version"/>, or, when it is not kept, the oldest version that is.</summary>
    [Alias("GetVersion")]
    Task<SnapshotLookup> GetVersionAsync(int version, CancellationToken cancellationToken = default);

    /// <summary>
    /// Time travel: stores the state of <paramref name="version"/>'s snapshot as a new version, when
    /// <paramref name="condition"/> holds for the current one. <see cref="WriteStatus.NotFound"/> when the conversation has
    /// no state, <see cref="WriteStatus.VersionNotKept"/> when that snapshot is not kept.
    /// </summary>
    [Alias("Restore")]
    Task<WriteResult> RestoreAsync(int version, VersionCondition condition, CancellationToken cancellationToken = default);

    /// <summary>
    /// Starts this conversation from another one's state (a fork), made this conversation's: <see cref="WriteStatus.Created"/>,
    /// or <see cref="WriteStatus.AlreadyExists"/> when it has a state. Use
    /// <see cref="StateGrainFactoryExtensions.ForkAsync"/>, which reads the source first.
    /// </summary>
    [Alias("StartFork")]
    Task<WriteResult> StartForkAsync([Immutable] ConversationState state, CancellationToken cancellationToken = default);

    /// <summary>The id of the active intent (null inside when there is none), or null when the conversation has no state.</summary>
    [Alias("GetActiveIntent")]
    Task<ActiveIntent?> GetActiveIntentAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores a state exactly as given, with its own date as the save time: used by the importer to
    /// replay a conversation saved elsewhere. Returns false, changing nothing, when the stored state is already as new as that date.
    /// </summary>
    [Alias("Import")]
    Task<bool> ImportAsync([Immutable] ConversationState state, CancellationToken cancellationToken = default);
}
