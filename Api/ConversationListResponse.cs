using System.Text.Json.Serialization;

namespace BotStateCluster.Api;

/// <summary>A page of <c>GET /v1/states</c>: <c>{items, next_cursor}</c>, <c>next_cursor</c> null on the last page.</summary>
internal sealed record ConversationListResponse(
    [property: JsonPropertyName("items")] IReadOnlyList<ConversationItem> Items,
    [property: JsonPropertyName("next_cursor")] string? NextCursor)
{
    public static ConversationListResponse From(ConversationPage page) => new(
        [.. page.Items.Select(item => new ConversationItem(item.ThreadId, item.Version, PythonDate.Format(item.UpdatedAt), item.CurrentNode, item.IntentId))],
        page.Next?.Encode());
}

/// <summary>One conversation of a listing: what identifies it, never its state.</summary>
internal sealed record ConversationItem(
    [property: JsonPropertyName("thread_id")] string ThreadId,
    [property: JsonPropertyName("version")] int Version,
    [property: JsonPropertyName("updated_at")] string UpdatedAt,
    [property: JsonPropertyName("current_node")] string? CurrentNode,
    [property: JsonPropertyName("intent_id")] string? IntentId);
