using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace BotStateCluster.Api;

/// <summary>
/// An event of the change feed as it goes out, over HTTP, Server-Sent Events and webhooks alike:
/// <c>{cursor, kind, thread_id, version, at, state}</c>, an erasure with <c>reason</c> and without <c>state</c>. The
/// state is written as the bytes stored, never parsed.
/// </summary>
public static class ChangeEventJson
{
    /// <summary>Writes <paramref name="change"/> as one JSON object.</summary>
    public static void Write(Utf8JsonWriter writer, ChangeEvent change)
    {
        writer.WriteStartObject();
        writer.WriteString("cursor", change.Cursor.Encode());
        writer.WriteString("kind", change.Kind);
        writer.WriteString("thread_id", change.ThreadId);
        writer.WriteNumber("version", change.Version);
        writer.WriteString("at", PythonDate.Format(change.At));
        if (change.Reason is { } reason)
        {
            writer.WriteString("reason", reason);
        }

        if (change.StateJson is { } state)
        {
            writer.WritePropertyName("state");
            writer.WriteRawValue(state, skipInputValidation: true);
        }

        writer.WriteEndObject();
    }

    /// <summary><paramref name="change"/> as UTF-8 JSON.</summary>
    public static byte[] ToUtf8(ChangeEvent change) => JsonBytes.Write(change, Write);
}

/// <summary>One event of the change feed, for the OpenAPI document (it is written by <see cref="ChangeEventJson"/>).</summary>
[Description("A change to one conversation, written in the same transaction as the change.")]
internal sealed class ChangeEventBody
{
    [JsonPropertyName("cursor"), Description("Where a reader that has handled this event resumes: pass it as cursor= (or Last-Event-ID).")]
    public required string Cursor { get; init; }

    [JsonPropertyName("kind"), Description("created, updated, restored, forked or erased.")]
    public required string Kind { get; init; }

    [JsonPropertyName("thread_id"), Description("The conversation's user id.")]
    public required string ThreadId { get; init; }

    [JsonPropertyName("version"), Description("The version the change produced; an erasure's is its tombstone's.")]
    public required int Version { get; init; }

    [JsonPropertyName("at"), Description("When the change was stored: ISO-8601, UTC, microseconds, +00:00.")]
    public required string At { get; init; }

    [JsonPropertyName("reason"), Description("Erasures only: deleted (DELETE), erasure_request (POST /v1/erasures) or expired (STATE_TTL).")]
    public string? Reason { get; init; }

    [JsonPropertyName("state"), Description("The state the change left; absent on an erasure.")]
    public StateBody? State { get; init; }
}

/// <summary>A page of the change feed, for the OpenAPI document (it is written by <see cref="ChangePageOk"/>).</summary>
internal sealed class ChangePageBody
{
    [JsonPropertyName("items"), Description("Events after the cursor, oldest first.")]
    public required IReadOnlyList<ChangeEventBody> Items { get; init; }

    [JsonPropertyName("next_cursor"), Description("Pass as cursor= for the events after these; the same cursor again when there were none.")]
    public required string NextCursor { get; init; }
}
