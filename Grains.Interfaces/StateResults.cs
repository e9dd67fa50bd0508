using System.Text.Json.Nodes;

namespace BotStateCluster;

/// <summary>A state with the stored version it has, which HTTP clients see as its <c>ETag</c>.</summary>
/// <remarks>
/// It crosses the wire as its <c>to_dict</c> JSON (<see cref="Json"/>): a grain serializes each version once, every
/// read of it hands out the same bytes, and the gateway writes them out as they are. <see cref="State"/> is parsed
/// from them on first use, for .NET callers that want the object.
/// </remarks>
[Immutable, Alias("BotState.VersionedState")]
public sealed class VersionedState
{
    private ConversationState? _state;

    /// <summary>A state at a version, serialized now.</summary>
    public VersionedState(ConversationState state, int version)
        : this(state, StateJson.ToUtf8Json(state), version)
    {
    }

    /// <summary>A state at a version with its JSON, which must be <see cref="StateJson.ToUtf8Json"/> of <paramref name="state"/>.</summary>
    public VersionedState(ConversationState state, byte[] json, int version)
    {
        _state = state;
        Json = json;
        Version = version;
    }

    private VersionedState(byte[] json, int version)
    {
        Json = json;
        Version = version;
    }

    /// <summary>A state at a version from its JSON alone, which must be <see cref="StateJson.ToUtf8Json"/> of a state; parsed when first asked for.</summary>
    public static VersionedState FromJson(byte[] json, int version) => new(json, version);

    /// <summary>The state, as <c>to_dict</c> gives it.</summary>
    public ConversationState State => _state ??= StateJson.FromStoredJson(JsonNode.Parse(Json)!);

    /// <summary>The state's <c>to_dict</c> JSON, UTF-8: exactly what the HTTP API answers. Not to be modified.</summary>
    public byte[] Json { get; }

    /// <summary>The stored version.</summary>
    public int Version { get; }

    /// <summary>How a <see cref="VersionedState"/> travels: its JSON and version, nothing to rebuild on either side.</summary>
    [GenerateSerializer, Immutable, Alias("BotState.VersionedState.Wire")]
    internal readonly record struct Wire([property: Id(0)] byte[] Json, [property: Id(1)] int Version);

    /// <summary>Registers <see cref="Wire"/> as the way Orleans carries the type.</summary>
    [RegisterConverter]
    internal sealed class WireConverter : IConverter<VersionedState, Wire>
    {
        public VersionedState ConvertFromSurrogate(in Wire surrogate) => new(surrogate.Json, surrogate.Version);

        public Wire ConvertToSurrogate(in VersionedState value) => new(value.Json, value.Version);
    }
}

/// <summary>How a write ended.</summary>
public enum WriteStatus
{
    /// <summary>A new state was stored.</summary>
    Created,

    /// <summary>An existing state was replaced or updated.</summary>
    Updated,

    /// <summary>The expected version (or create-only) did not match what is stored; nothing changed.</summary>
    PreconditionFailed,

    /// <summary>The idempotency key was used before for a different message; nothing changed.</summary>
    IdempotencyKeyReused,

    /// <summary>The conversation has no state to act on; nothing changed.</summary>
    NotFound,

    /// <summary>The snapshot of the version asked for is not kept (<see cref="WriteResult.OldestKeptVersion"/> is); nothing changed.</summary>
    VersionNotKept,

    /// <summary>The conversation a fork would start already has a state; nothing changed.</summary>
    AlreadyExists,
}

/// <summary>
/// The outcome of a write: its status and the state stored afterwards (null when none exists); for
/// <see cref="WriteStatus.VersionNotKept"/>, the oldest version whose snapshot is kept (null when none is).
/// </summary>
[GenerateSerializer, Alias("BotState.WriteResult")]
public sealed record WriteResult(
    [property: Id(0)] WriteStatus Status,
    [property: Id(1)] VersionedState? Current,
    [property: Id(2)] bool Replayed = false,
    [property: Id(3)] int? OldestKeptVersion = null);

/// <summary>What the caller requires of the stored version before a write (HTTP <c>If-Match</c>).</summary>
[GenerateSerializer, Alias("BotState.VersionCondition"), Immutable]
public sealed record VersionCondition
{
    /// <summary>No requirement.</summary>
    public static VersionCondition None { get; } = new();

    /// <summary>A state must exist (<c>If-Match: *</c>).</summary>
    public static VersionCondition Exists { get; } = new() { MustExist = true };

    /// <summary>No state may exist (<c>If-None-Match: *</c>).</summary>
    public static VersionCondition Absent { get; } = new() { MustNotExist = true };

    /// <summary>The stored version must be one of these (<c>If-Match: "3", "4"</c>).</summary>
    public static VersionCondition OneOf(params int[] versions) => new() { Versions = [.. versions] };

    /// <summary>Acceptable versions; empty means any.</summary>
    [Id(0)] public int[] Versions { get; init; } = [];

    /// <summary>The write needs an existing state.</summary>
    [Id(1)] public bool MustExist { get; init; }

    /// <summary>The write needs the state not to exist.</summary>
    [Id(2)] public bool MustNotExist { get; init; }

    /// <summary>Whether the condition holds for the stored state (<paramref name="version"/> null when none exists).</summary>
    public bool IsMetBy(int? version) => version switch
    {
        null => !MustExist && Versions.Length == 0,
        { } v => !MustNotExist && (Versions.Length == 0 || Versions.Contains(v)),
    };
}

/// <summary>One user message for a turn, as the HTTP body <c>{text, context?, channel?}</c> carries it.</summary>
[GenerateSerializer, Alias("BotState.IncomingMessage")]
public sealed record IncomingMessage(
    [property: Id(0)] string Text,
    [property: Id(1)] JsonObject? Context = null,
    [property: Id(2)] string? Channel = null);

/// <summary>One saved snapshot of a conversation.</summary>
[GenerateSerializer, Alias("BotState.HistoryItem")]
public sealed record HistoryItem(
    [property: Id(0)] int Version,
    [property: Id(1)] DateTimeOffset SavedAt,
    [property: Id(2)] ConversationState State);

/// <summary>The snapshot of one version, or null with the oldest version whose snapshot is kept (null when none is).</summary>
[GenerateSerializer, Alias("BotState.SnapshotLookup")]
public sealed record SnapshotLookup(
    [property: Id(0)] HistoryItem? Snapshot,
    [property: Id(1)] int? OldestKeptVersion);

/// <summary>A page of snapshots, newest first; <see cref="NextBefore"/> asks for the next page.</summary>
[GenerateSerializer, Alias("BotState.HistoryPage")]
public sealed record HistoryPage(
    [property: Id(0)] string ThreadId,
    [property: Id(1)] IReadOnlyList<HistoryItem> Items,
    [property: Id(2)] int? NextBefore);

/// <summary>The active intent of a conversation: <c>intent.id</c>, or null when no intent is active.</summary>
[GenerateSerializer, Alias("BotState.ActiveIntent")]
public sealed record ActiveIntent(
    [property: Id(0)] string ThreadId,
    [property: Id(1)] string? IntentId);
