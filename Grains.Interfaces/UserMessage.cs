using System.Text.Json.Nodes;

namespace BotStateCluster;

/// <summary>
/// What the user said in one turn: the Python framework's <c>UserMessage</c>.
/// </summary>
[GenerateSerializer, Alias("BotState.UserMessage")]
public sealed record UserMessage
{
    /// <summary>The channel assumed when a message names none.</summary>
    public const string DefaultChannel = "rest";

    /// <summary>The conversation the message belongs to.</summary>
    [Id(0)] public required string ThreadId { get; init; }

    /// <summary>The user's text.</summary>
    [Id(1)] public required string Text { get; init; }

    /// <summary>Where the message came from (<c>rest</c>, <c>web</c>, …).</summary>
    [Id(2)] public string Channel { get; init; } = DefaultChannel;

    /// <summary>Context sent with the message; merged into the conversation's context.</summary>
    [Id(3)] public JsonObject Context { get; init; } = [];
}
