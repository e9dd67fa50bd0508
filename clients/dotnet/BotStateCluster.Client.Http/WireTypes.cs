using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace BotStateCluster.Client.Http;

/// <summary>A state as stored, with its version (the ETag: pass it back as <c>ifMatch</c>).</summary>
/// <param name="State">The state.</param>
/// <param name="Version">Its version.</param>
/// <param name="Replayed">For a turn: the answer repeats the first result of the same Idempotency-Key.</param>
public sealed record StateResult(BotState State, int Version, bool Replayed = false);

/// <summary>One turn's message: what the user said, context to merge into the conversation's, and where it came from.</summary>
public sealed record Message(
    string Text,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonObject? Context = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Channel = null);

/// <summary>One saved snapshot of a conversation.</summary>
public sealed record HistoryEntry(int Version, DateTimeOffset SavedAt, BotState State);

/// <summary>The id of a conversation's active intent, null when none is active.</summary>
public sealed record ActiveIntent(string ThreadId, string? IntentId);

/// <summary>One conversation of a listing: what identifies it, not its state.</summary>
public sealed record ConversationSummary(string ThreadId, int Version, DateTimeOffset UpdatedAt, string? CurrentNode, string? IntentId);

/// <summary>Filters of <see cref="BotStateHttpClient.ListStatesAsync"/>; the dates bound <c>updated_at</c> exclusively.</summary>
public sealed record ListStatesQuery(
    int PageSize = 100,
    DateTimeOffset? UpdatedAfter = null,
    DateTimeOffset? UpdatedBefore = null,
    string? CurrentNode = null,
    string? IntentId = null);

/// <summary>
/// One line of an export: <see cref="Kind"/> <c>state</c> (the current state, first) or <c>snapshot</c> (with
/// <see cref="SavedAt"/>, newest first).
/// </summary>
public sealed record ExportLine(string Kind, string ThreadId, int Version, DateTimeOffset? SavedAt, BotState State);

/// <summary>What a bulk erasure did with each user id; retrying <see cref="Failed"/> is safe.</summary>
public sealed record ErasureResult(IReadOnlyList<string> Erased, IReadOnlyList<string> NotFound, IReadOnlyList<ErasureFailure> Failed);

/// <summary>A user id whose erasure failed, and why.</summary>
public sealed record ErasureFailure(string ThreadId, string Detail);

/// <summary>
/// One change to one conversation in the tenant's change feed. <see cref="Cursor"/> is where a reader that has handled
/// it resumes; <see cref="Kind"/> is <c>created</c>, <c>updated</c>, <c>restored</c>, <c>forked</c> or <c>erased</c>
/// (then with <see cref="Reason"/> and without <see cref="State"/>).
/// </summary>
public sealed record ChangeEvent(string Cursor, string Kind, string ThreadId, int Version, DateTimeOffset At, BotState? State = null, string? Reason = null);

/// <summary>A page of the change feed: the events after a cursor, oldest first, and the cursor to ask for the next.</summary>
public sealed record ChangePage(IReadOnlyList<ChangeEvent> Items, string NextCursor);

/// <summary>A webhook delivery that failed after its last try; <see cref="Id"/> names it to a retry.</summary>
public sealed record FailedDelivery(string Id, string ThreadId, int Version, string Kind, int Attempts, string LastError, DateTimeOffset FailedAt);

internal sealed record FailedDeliveriesPage(IReadOnlyList<FailedDelivery> Items);

internal sealed record RetryRequest([property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Ids);

internal sealed record RetryAccepted(int Retrying);

internal sealed record RestoreRequest(int Version);

internal sealed record ForkRequest(string To, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Version);

internal sealed record HistoryPage(string ThreadId, IReadOnlyList<HistoryEntry> Items, int? NextBefore);

internal sealed record ConversationPage(IReadOnlyList<ConversationSummary> Items, string? NextCursor);

internal sealed record ErasureRequest(IReadOnlyList<string> ThreadIds);

internal sealed record ProblemBody(string? Type, string? Title, int? Status, string? Detail);

/// <summary>Source-generated JSON of the wire types, in the API's snake_case.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(BotState))]
[JsonSerializable(typeof(Message))]
[JsonSerializable(typeof(HistoryPage))]
[JsonSerializable(typeof(ActiveIntent))]
[JsonSerializable(typeof(ConversationPage))]
[JsonSerializable(typeof(ExportLine))]
[JsonSerializable(typeof(ErasureRequest))]
[JsonSerializable(typeof(ErasureResult))]
[JsonSerializable(typeof(ProblemBody))]
[JsonSerializable(typeof(HistoryEntry))]
[JsonSerializable(typeof(ChangeEvent))]
[JsonSerializable(typeof(ChangePage))]
[JsonSerializable(typeof(FailedDeliveriesPage))]
[JsonSerializable(typeof(RetryRequest))]
[JsonSerializable(typeof(RetryAccepted))]
[JsonSerializable(typeof(RestoreRequest))]
[JsonSerializable(typeof(ForkRequest))]
internal sealed partial class WireJson : JsonSerializerContext;
