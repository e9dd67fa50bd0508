using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace BotStateCluster.Api;

/// <summary>
/// Writes an export as NDJSON: the current state, then every kept snapshot newest first, one page of
/// snapshots in memory at a time, each page flushed to the client as it arrives.
/// </summary>
internal static class ExportLines
{
    public const string MediaType = "application/x-ndjson";

    private static readonly ReadOnlyMemory<byte> Newline = "\n"u8.ToArray();

    public static async Task WriteAsync(Stream body, IStateGrain grain, string userId, VersionedState current, int pageSize, JsonSerializerOptions json, CancellationToken cancellationToken)
    {
        await using var writer = new Utf8JsonWriter(body, new JsonWriterOptions { Encoder = json.Encoder, SkipValidation = true });
        await WriteLineAsync(writer, body, new JsonObject
        {
            ["kind"] = "state",
            ["thread_id"] = userId,
            ["version"] = current.Version,
            ["state"] = JsonNode.Parse(current.Json),
        }, cancellationToken);

        // Snapshots up to the exported version: turns that land during the export are not part of it.
        int? before = current.Version + 1;
        while (before is not null)
        {
            var page = await grain.GetHistoryAsync(pageSize, before, cancellationToken);
            foreach (var item in page.Items)
            {
                await WriteLineAsync(writer, body, new JsonObject
                {
                    ["kind"] = "snapshot",
                    ["thread_id"] = userId,
                    ["version"] = item.Version,
                    ["saved_at"] = PythonDate.Format(item.SavedAt),
                    ["state"] = StateJson.ToJson(item.State),
                }, cancellationToken);
            }

            await body.FlushAsync(cancellationToken);
            before = page.NextBefore;
        }
    }

    private static async Task WriteLineAsync(Utf8JsonWriter writer, Stream body, JsonObject line, CancellationToken cancellationToken)
    {
        line.WriteTo(writer);
        await writer.FlushAsync(cancellationToken);
        writer.Reset();
        // Kestrel allows only asynchronous writes to the response.
        await body.WriteAsync(Newline, cancellationToken);
    }
}

/// <summary>One line of an export as the OpenAPI document describes it: <c>saved_at</c> only on snapshot lines.</summary>
internal sealed class ExportLine
{
    [JsonPropertyName("kind")]
    public required string Kind { get; init; }

    [JsonPropertyName("thread_id")]
    public required string ThreadId { get; init; }

    [JsonPropertyName("version")]
    public required int Version { get; init; }

    [JsonPropertyName("saved_at")]
    public string? SavedAt { get; init; }

    [JsonPropertyName("state")]
    public required StateBody State { get; init; }
}
