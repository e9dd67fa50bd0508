using System.ComponentModel;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace BotStateCluster.Api;

/// <summary>A conversation's state on the wire: the Python <c>to_dict()</c>, field by field.</summary>
[Description("A conversation's state (the Python State's to_dict). Sent with PUT, missing fields take their defaults and unknown ones are ignored.")]
internal sealed class StateBody
{
    [JsonPropertyName(StateFields.ThreadId), Description("The conversation's user id.")]
    public required string ThreadId { get; init; }

    [JsonPropertyName(StateFields.UserMessage), Description("The last message of the user, or null.")]
    public required UserMessageBody? UserMessage { get; init; }

    [JsonPropertyName(StateFields.BotMessage), Description("What the bot answered last (array of objects), or null.")]
    public required JsonArray? BotMessage { get; init; }

    [JsonPropertyName(StateFields.Nlu), Description("Output of the NLU pipeline for the last message.")]
    public required JsonObject Nlu { get; init; }

    [JsonPropertyName(StateFields.Context), Description("Conversation context, shallow-merged with each message's context.")]
    public required JsonObject Context { get; init; }

    [JsonPropertyName(StateFields.Intent), Description("The active intent: {} when none was set, null after a completed turn reset it.")]
    public required JsonObject? Intent { get; init; }

    [JsonPropertyName(StateFields.Parameters), Description("The parameters the active intent asks for (array of objects).")]
    public required JsonArray Parameters { get; init; }

    [JsonPropertyName(StateFields.ExtractedParameters), Description("Parameter values collected so far.")]
    public required JsonObject ExtractedParameters { get; init; }

    [JsonPropertyName(StateFields.MissingParameters), Description("Names of the parameters still to collect.")]
    public required IReadOnlyList<string> MissingParameters { get; init; }

    [JsonPropertyName(StateFields.Complete), Description("True when the active intent got everything it needs.")]
    public required bool Complete { get; init; }

    [JsonPropertyName(StateFields.CurrentNode), Description("The dialogue node: \"\" when new, null after a reset.")]
    public required string? CurrentNode { get; init; }

    [JsonPropertyName(StateFields.Date), Description("When the state last changed: ISO-8601, UTC, microseconds, +00:00.")]
    public required string Date { get; init; }

    // The free-form parts are handed over, not copied: serializing only reads them.
    public static StateBody From(ConversationState state) => new()
    {
        ThreadId = state.ThreadId,
        UserMessage = state.UserMessage is { } message ? UserMessageBody.From(message) : null,
        BotMessage = state.BotMessage,
        Nlu = state.Nlu,
        Context = state.Context,
        Intent = state.Intent,
        Parameters = state.Parameters,
        ExtractedParameters = state.ExtractedParameters,
        MissingParameters = state.MissingParameters,
        Complete = state.Complete,
        CurrentNode = state.CurrentNode,
        Date = PythonDate.Format(state.Date),
    };
}

/// <summary>The last user message inside a state.</summary>
internal sealed class UserMessageBody
{
    [JsonPropertyName(StateFields.Message.ThreadId)]
    public required string ThreadId { get; init; }

    [JsonPropertyName(StateFields.Message.Text)]
    public required string Text { get; init; }

    [JsonPropertyName(StateFields.Message.Channel), Description("Where the message came from; \"rest\" when not given.")]
    public required string Channel { get; init; }

    [JsonPropertyName(StateFields.Message.Context)]
    public required JsonObject Context { get; init; }

    public static UserMessageBody From(UserMessage message) => new()
    {
        ThreadId = message.ThreadId,
        Text = message.Text,
        Channel = message.Channel,
        Context = message.Context,
    };
}

/// <summary>The body of <c>POST …/messages</c>, for the OpenAPI document (it is read by <see cref="MessageRequest"/>).</summary>
[Description("One user message. Unknown fields are ignored.")]
internal sealed class MessageBody
{
    [JsonPropertyName("text"), Description("What the user said.")]
    public required string Text { get; init; }

    [JsonPropertyName("context"), Description("Merged into the conversation's context (message keys win).")]
    public JsonObject? Context { get; init; }

    [JsonPropertyName("channel"), Description("Where the message came from; \"rest\" when not given.")]
    public string? Channel { get; init; }
}

/// <summary>A page of saved snapshots, newest first.</summary>
internal sealed class HistoryPageBody
{
    [JsonPropertyName("thread_id")]
    public required string ThreadId { get; init; }

    [JsonPropertyName("items")]
    public required IReadOnlyList<HistoryItemBody> Items { get; init; }

    [JsonPropertyName("next_before"), Description("Pass as before= to get the next page; null on the last page.")]
    public required int? NextBefore { get; init; }

    public static HistoryPageBody From(HistoryPage page) => new()
    {
        ThreadId = page.ThreadId,
        Items = [.. page.Items.Select(HistoryItemBody.From)],
        NextBefore = page.NextBefore,
    };
}

/// <summary>One saved snapshot.</summary>
internal sealed class HistoryItemBody
{
    [JsonPropertyName("version"), Description("The version (ETag) the state had.")]
    public required int Version { get; init; }

    [JsonPropertyName("saved_at"), Description("When it was saved: ISO-8601, UTC, microseconds, +00:00.")]
    public required string SavedAt { get; init; }

    [JsonPropertyName("state")]
    public required StateBody State { get; init; }

    public static HistoryItemBody From(HistoryItem item) => new()
    {
        Version = item.Version,
        SavedAt = PythonDate.Format(item.SavedAt),
        State = StateBody.From(item.State),
    };
}

/// <summary>The id of the active intent.</summary>
internal sealed class ActiveIntentBody
{
    [JsonPropertyName("thread_id")]
    public required string ThreadId { get; init; }

    [JsonPropertyName("intent_id"), Description("intent.id when the intent is a non-empty object, else null.")]
    public required string? IntentId { get; init; }

    public static ActiveIntentBody From(ActiveIntent intent) => new() { ThreadId = intent.ThreadId, IntentId = intent.IntentId };
}

/// <summary>Source-generated serialization of the wire types: no reflection on the response path.</summary>
[JsonSerializable(typeof(StateBody))]
[JsonSerializable(typeof(HistoryPageBody))]
[JsonSerializable(typeof(ActiveIntentBody))]
[JsonSerializable(typeof(MessageBody))]
[JsonSerializable(typeof(RestoreBody))]
[JsonSerializable(typeof(ForkBody))]
internal sealed partial class WireJsonContext : JsonSerializerContext;
