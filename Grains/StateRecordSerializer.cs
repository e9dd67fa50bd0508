using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Orleans.Storage;

namespace BotStateCluster.Grains;

/// <summary>
/// Writes a <see cref="StateRecord"/> as <c>{"state": …, "meta": …}</c> for the storage queries,
/// which store <c>state</c> in its own readable JSON column (the contract's snake_case <c>to_dict</c>)
/// and <c>meta</c> beside it.
/// </summary>
public sealed class StateRecordSerializer : IGrainStorageSerializer
{
    // Unicode and '+' stay as they are, so the rows read naturally in psql and sqlite3.
    private static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <inheritdoc />
    public BinaryData Serialize<T>(T? input)
    {
        if (input is not StateRecord record)
        {
            throw new NotSupportedException($"{nameof(StateRecordSerializer)} stores {nameof(StateRecord)} only, not {typeof(T)}.");
        }

        var document = new JsonObject
        {
            ["state"] = record.State is null ? null : StateJson.ToJson(record.State),
            ["meta"] = new JsonObject
            {
                ["saved_at"] = PythonDate.Format(record.SavedAt),
                ["history_limit"] = record.HistoryLimit,
                ["recent_turns"] = new JsonArray([.. record.RecentTurns.Select(turn => (JsonNode)new JsonObject
                {
                    ["key"] = turn.Key,
                    ["fingerprint"] = turn.Fingerprint,
                    ["version"] = turn.Version,
                })]),
            },
        };
        return BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(document, Options));
    }

    /// <inheritdoc />
    public T? Deserialize<T>(BinaryData input)
    {
        if (typeof(T) != typeof(StateRecord))
        {
            throw new NotSupportedException($"{nameof(StateRecordSerializer)} reads {nameof(StateRecord)} only, not {typeof(T)}.");
        }

        var document = JsonNode.Parse(input.ToMemory().Span) as JsonObject
            ?? throw new JsonException("A stored state record is not a JSON object.");
        var meta = document["meta"] as JsonObject;
        var record = new StateRecord
        {
            State = document["state"] is JsonObject state ? StateJson.FromStoredJson(state) : null,
            SavedAt = meta?["saved_at"] is JsonNode savedAt && PythonDate.TryParse(savedAt.GetValue<string>(), out var date) ? date : default,
            HistoryLimit = meta?["history_limit"]?.GetValue<int>() ?? 0,
            RecentTurns = meta?["recent_turns"] is JsonArray turns
                ? [.. turns.OfType<JsonObject>().Select(turn => new TurnReceipt(
                    turn["key"]!.GetValue<string>(), turn["fingerprint"]!.GetValue<string>(), turn["version"]!.GetValue<int>()))]
                : [],
        };
        return (T)(object)record;
    }
}
