using System.Collections.Immutable;
using System.Text.Json.Nodes;

namespace BotStateCluster;

/// <summary>
/// The dialogue state of one conversation: a port of the Python framework's <c>State</c>.
/// Free-form parts (NLU output, context, intent, parameters) stay JSON so that whatever a
/// chatbot stores there round-trips unchanged.
/// </summary>
[GenerateSerializer, Alias("BotState.ConversationState")]
public sealed record ConversationState
{
    /// <summary>The conversation's key, the user id.</summary>
    [Id(0)] public required string ThreadId { get; init; }

    /// <summary>The last message of the user, if any.</summary>
    [Id(1)] public UserMessage? UserMessage { get; init; }

    /// <summary>What the bot answered last (array of objects), or null.</summary>
    [Id(2)] public JsonArray? BotMessage { get; init; }

    /// <summary>Output of the NLU pipeline for the last message.</summary>
    [Id(3)] public JsonObject Nlu { get; init; } = [];

    /// <summary>Conversation context, shallow-merged with each message's context.</summary>
    [Id(4)] public JsonObject Context { get; init; } = [];

    /// <summary>The active intent, <c>{}</c> when none was set, null after a completed turn reset it.</summary>
    [Id(5)] public JsonObject? Intent { get; init; } = [];

    /// <summary>The parameters the active intent asks for (array of objects).</summary>
    [Id(6)] public JsonArray Parameters { get; init; } = [];

    /// <summary>Parameter values collected so far.</summary>
    [Id(7)] public JsonObject ExtractedParameters { get; init; } = [];

    /// <summary>Names of the parameters still to collect.</summary>
    [Id(8)] public ImmutableArray<string> MissingParameters { get; init; } = [];

    /// <summary>True when the active intent got everything it needs.</summary>
    [Id(9)] public bool Complete { get; init; }

    /// <summary>The dialogue node the conversation is at; <c>""</c> when new, null after a reset.</summary>
    [Id(10)] public string? CurrentNode { get; init; } = "";

    /// <summary>When the state last changed, UTC, microsecond precision.</summary>
    [Id(11)] public DateTimeOffset Date { get; init; }

    /// <summary>
    /// The id of the active intent: <c>intent.id</c> when the intent is a non-empty object, else null.
    /// </summary>
    public string? ActiveIntentId =>
        Intent is { Count: > 0 } intent && intent["id"] is JsonNode id ? IdText(id) : null;

    /// <summary>A fresh state for <paramref name="threadId"/>, as Python's <c>init_state</c> makes it.</summary>
    public static ConversationState New(string threadId, DateTimeOffset now) =>
        new() { ThreadId = threadId, Date = PythonDate.Truncate(now) };

    private static string? IdText(JsonNode id) => id.GetValueKind() switch
    {
        System.Text.Json.JsonValueKind.String => id.GetValue<string>(),
        System.Text.Json.JsonValueKind.Null => null,
        _ => id.ToJsonString(),
    };
}
