using System.Text.Json.Nodes;

namespace BotStateCluster.Gateway.Api;

/// <summary>The JSON bodies of the API, in the contract's snake_case shapes.</summary>
internal static class StateResponses
{
    public static JsonObject State(HttpResponse response, VersionedState state)
    {
        EntityTags.Set(response, state.Version);
        return StateJson.ToJson(state.State);
    }

    public static JsonObject History(HistoryPage page) => new()
    {
        ["thread_id"] = page.ThreadId,
        ["items"] = new JsonArray([.. page.Items.Select(item => (JsonNode)new JsonObject
        {
            ["version"] = item.Version,
            ["saved_at"] = PythonDate.Format(item.SavedAt),
            ["state"] = StateJson.ToJson(item.State),
        })]),
        ["next_before"] = page.NextBefore,
    };

    public static JsonObject ActiveIntent(ActiveIntent intent) => new()
    {
        ["thread_id"] = intent.ThreadId,
        ["intent_id"] = intent.IntentId,
    };
}
