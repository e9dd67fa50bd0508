using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace BotStateCluster.Client.Http;

/// <summary>
/// A conversation's state, field for field as the API sends it (the Python <c>State.to_dict()</c>). Change it and
/// send it back with <see cref="BotStateHttpClient.PutStateAsync"/>; the free-form parts are JSON nodes.
/// </summary>
public sealed class BotState
{
    /// <summary>The conversation's user id; null on a state built here, which the service stores under the URL's user id.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ThreadId { get; set; }

    /// <summary>The user's last message, or null.</summary>
    public UserMessage? UserMessage { get; set; }

    /// <summary>What the bot answered last (an array of objects), or null.</summary>
    public JsonArray? BotMessage { get; set; }

    /// <summary>The NLU pipeline's output for the last message.</summary>
    public JsonObject Nlu { get; set; } = [];

    /// <summary>The conversation's context, shallow-merged with each message's.</summary>
    public JsonObject Context { get; set; } = [];

    /// <summary>The active intent: empty when none was set, null after a completed turn reset it.</summary>
    public JsonObject? Intent { get; set; } = [];

    /// <summary>The parameters the active intent asks for.</summary>
    public JsonArray Parameters { get; set; } = [];

    /// <summary>Parameter values collected so far.</summary>
    public JsonObject ExtractedParameters { get; set; } = [];

    /// <summary>Names of the parameters still to collect.</summary>
    public List<string> MissingParameters { get; set; } = [];

    /// <summary>Whether the intent is complete (the next turn resets the dialogue fields).</summary>
    public bool Complete { get; set; }

    /// <summary>The dialogue node: empty when new, null after a reset.</summary>
    public string? CurrentNode { get; set; } = "";

    /// <summary>When the state last changed (UTC).</summary>
    public DateTimeOffset Date { get; set; } = DateTimeOffset.UtcNow;
}

/// <summary>A user message as a state holds it.</summary>
public sealed record UserMessage(string ThreadId, string Text, string Channel, JsonObject Context);
