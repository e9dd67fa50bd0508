using System.Text.Json.Nodes;

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

    /// <summary>
    /// The conversation, or null when none exists. Held as its JSON only (<see cref="StateJson"/>): each get parses a
    /// copy, which a turn does once. A parsed state is a graph of many small objects, some still holding the request
    /// they were parsed from, kept by every activation for as long as it lives: with 10,000 conversations the silo
    /// held 470 MB that way and 315 MB with the bytes alone.
    /// </summary>
    public ConversationState? State
    {
        get => StateJson is null ? null : BotStateCluster.StateJson.FromStoredJson(JsonNode.Parse(StateJson)!);
        init => StateJson = value is null ? null : BotStateCluster.StateJson.ToUtf8Json(value);
    }

    /// <summary>
    /// The conversation's <c>to_dict</c> JSON, serialized once per version: the bytes that are stored and that every
    /// read of this version hands out. Null when there is no conversation. Not to be modified.
    /// </summary>
    public byte[]? StateJson { get; private init; }

    /// <summary>Whether a conversation exists, without parsing it.</summary>
    public bool HasState => StateJson is not null || Sealed is not null;

    /// <summary>
    /// With encryption on: the ciphertexts this record is stored as. Set by the grain for one write (and let go after
    /// it), or by the serializer for a record read from storage, which the grain opens into plaintext on activation.
    /// </summary>
    public SealedRecord? Sealed { get; set; }

    /// <summary>When this version was saved; imported states keep their original date.</summary>
    public DateTimeOffset SavedAt { get; set; }

    /// <summary>How many snapshots the storage keeps for this user; it trims in the same statement.</summary>
    public int HistoryLimit { get; set; }

    /// <summary>The latest turns that carried an idempotency key, oldest first.</summary>
    public List<TurnReceipt> RecentTurns { get; set; } = [];

    /// <summary>
    /// The change this write records in the change feed, or null to record none (<c>CHANGES_ENABLED=false</c>). The
    /// storage writes its event in the same statement as the state; it belongs to one write and is never read back.
    /// </summary>
    public RecordedChange? Change { get; init; }
}

/// <summary>
/// A record as stored encrypted: the sealed state, the sealed receipts (null when there are none) and the listing's
/// plaintext fields, which the envelope keeps beside the ciphertext (<see cref="Encryption.SealedEnvelope"/>).
/// </summary>
public sealed record SealedRecord(byte[] State, byte[]? Receipts, string? CurrentNode = null, string? IntentId = null);

/// <summary>A change for the feed: its kind (<see cref="ChangeKinds"/>) and, for an erasure, why (<see cref="ErasureReasons"/>).</summary>
public sealed record RecordedChange(string Kind, string? Reason = null);

/// <summary>A turn that carried an idempotency key: the key, a fingerprint of its message, and the version it produced.</summary>
public sealed record TurnReceipt(string Key, string Fingerprint, int Version);
