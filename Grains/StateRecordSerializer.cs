using System.Text.Json;
using System.Text.Json.Nodes;
using BotStateCluster.Grains.Encryption;
using Orleans.Storage;

namespace BotStateCluster.Grains;

/// <summary>
/// Writes a <see cref="StateRecord"/> as <c>{"state": …, "meta": …}</c> for the storage queries,
/// which store <c>state</c> in its own readable JSON column (the contract's snake_case <c>to_dict</c>)
/// and <c>meta</c> beside it. A null <c>state</c> is an erasure; <c>meta.change</c> names the change the write records
/// in the feed.
/// </summary>
public sealed class StateRecordSerializer : IGrainStorageSerializer
{
    /// <inheritdoc />
    public BinaryData Serialize<T>(T? input)
    {
        if (input is not StateRecord record)
        {
            throw new NotSupportedException($"{nameof(StateRecordSerializer)} stores {nameof(StateRecord)} only, not {typeof(T)}.");
        }

        // Written straight from the record: the state's JSON is the one its grain already serialized for this version.
        return BinaryData.FromBytes(JsonBytes.Write(record, WriteRecord));
    }

    private static void WriteRecord(Utf8JsonWriter writer, StateRecord record)
    {
        writer.WriteStartObject();
        writer.WritePropertyName("state");
        if (record.Sealed is { } sealedRecord)
        {
            SealedEnvelope.Write(writer, sealedRecord.State, sealedRecord.CurrentNode, sealedRecord.IntentId);
        }
        else if (record.StateJson is { } state)
        {
            writer.WriteRawValue(state, skipInputValidation: true);
        }
        else
        {
            writer.WriteNullValue();
        }

        writer.WriteStartObject("meta");
        writer.WriteString("saved_at", PythonDate.Format(record.SavedAt));
        writer.WriteNumber("history_limit", record.HistoryLimit);
        if (record.Sealed?.Receipts is { } sealedReceipts)
        {
            writer.WriteBase64String(SealedEnvelope.SealedReceiptsProperty, sealedReceipts);
        }
        else
        {
            writer.WritePropertyName("recent_turns");
            WriteReceipts(writer, record.Sealed is null ? record.RecentTurns : []);
        }

        if (record.Change is { } change)
        {
            // Read by the write statement, which records the event: the kind, and why for an erasure.
            writer.WriteString("change", change.Kind);
            if (change.Reason is { } reason)
            {
                writer.WriteString("reason", reason);
            }
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    // [key, fingerprint, version]: the receipts are rewritten with every turn, and as objects their
    // property names were a third of each row.
    private static void WriteReceipts(Utf8JsonWriter writer, List<TurnReceipt> turns)
    {
        writer.WriteStartArray();
        foreach (var turn in turns)
        {
            writer.WriteStartArray();
            writer.WriteStringValue(turn.Key);
            writer.WriteStringValue(turn.Fingerprint);
            writer.WriteNumberValue(turn.Version);
            writer.WriteEndArray();
        }

        writer.WriteEndArray();
    }

    /// <summary>The receipts as the JSON array that is sealed in place of <c>recent_turns</c>.</summary>
    internal static byte[] ReceiptsJson(List<TurnReceipt> turns) => JsonBytes.Write(turns, WriteReceipts);

    /// <summary>Reads what <see cref="ReceiptsJson"/> wrote.</summary>
    internal static List<TurnReceipt> ReadReceipts(ReadOnlySpan<byte> json) =>
        JsonNode.Parse(json) is JsonArray turns ? [.. turns.Select(ReadReceipt)] : throw new JsonException("Sealed receipts are not a JSON array.");

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
        var sealedState = document["state"] is JsonObject stored ? SealedEnvelope.SealedBytes(stored) : null;
        var record = new StateRecord
        {
            // A sealed state stays sealed here: the serializer has no key; the grain opens it on activation.
            State = sealedState is null && document["state"] is JsonObject state ? StateJson.FromStoredJson(state) : null,
            Sealed = sealedState is null ? null : new SealedRecord(sealedState, SealedEnvelope.SealedReceipts(meta)),
            SavedAt = meta?["saved_at"] is JsonNode savedAt && PythonDate.TryParse(savedAt.GetValue<string>(), out var date) ? date : default,
            HistoryLimit = meta?["history_limit"]?.GetValue<int>() ?? 0,
            RecentTurns = meta?["recent_turns"] is JsonArray turns ? [.. turns.Select(ReadReceipt)] : [],
        };
        return (T)(object)record;
    }

    // Rows written before receipts became arrays hold them as {key, fingerprint, version} objects.
    private static TurnReceipt ReadReceipt(JsonNode? receipt) => receipt switch
    {
        JsonArray turn => new TurnReceipt(turn[0]!.GetValue<string>(), turn[1]!.GetValue<string>(), turn[2]!.GetValue<int>()),
        JsonObject turn => new TurnReceipt(turn["key"]!.GetValue<string>(), turn["fingerprint"]!.GetValue<string>(), turn["version"]!.GetValue<int>()),
        _ => throw new JsonException("A stored idempotency receipt is neither an array nor an object."),
    };
}
