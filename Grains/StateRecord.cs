namespace BotStateCluster.Grains;

/// <summary>
/// What a state grain persists: the conversation (null when there is none, e.g. after a delete)
/// and the bookkeeping that has to be exactly as durable as the state itself.
/// </summary>
public sealed class StateRecord
{
    /// <summary>
    /// How many idempotency keys a conversation remembers. Every turn carries one (the gateway adds its own),
    /// and they are rewritten with each state, so the number is a write cost: a retry comes within seconds,
    /// while one conversation rarely takes more than a few turns in that time.
    /// </summary>
    public const int MaxRecentTurns = 16;

    private ConversationState? _state;
    private byte[]? _stateJson;

    /// <summary>The conversation, or null when none exists.</summary>
    public ConversationState? State
    {
        get => _state;
        set
        {
            _state = value;
            _stateJson = null;
        }
    }

    /// <summary>
    /// The conversation's <c>to_dict</c> JSON, serialized once per version: the bytes that are stored and that every
    /// read of this version hands out. Null when there is no conversation.
    /// </summary>
    public byte[]? StateJson => _stateJson ??= _state is null ? null : BotStateCluster.StateJson.ToUtf8Json(_state);

    /// <summary>When this version was saved; imported states keep their original date.</summary>
    public DateTimeOffset SavedAt { get; set; }

    /// <summary>How many snapshots the storage keeps for this user; it trims in the same statement.</summary>
    public int HistoryLimit { get; set; }

    /// <summary>The latest turns that carried an idempotency key, oldest first.</summary>
    public List<TurnReceipt> RecentTurns { get; set; } = [];
}

/// <summary>A turn that carried an idempotency key: the key, a fingerprint of its message, and the version it produced.</summary>
public sealed record TurnReceipt(string Key, string Fingerprint, int Version);
