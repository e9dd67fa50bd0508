using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace BotStateCluster.Api;

/// <summary>The query of <c>GET /v1/changes/failed-deliveries</c>: <c>limit</c> 1–1000 (default 100), as text so that a bad value gets its own 400.</summary>
internal sealed record FailedDeliveriesQuery(
    [property: FromQuery(Name = "limit"), Description("Failed deliveries per answer, 1 to 1000 (default 100), oldest event first.")]
    string? Limit)
{
    /// <summary>The page size, or null when <see cref="Limit"/> is not one.</summary>
    public int? PageSize => Limit is null ? ChangeFeedLimits.DefaultLimit
        : int.TryParse(Limit, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit is >= 1 and <= ChangeFeedLimits.MaxLimit ? limit : null;
}

/// <summary>
/// The body of <c>POST /v1/changes/failed-deliveries/retry</c>: <c>{"ids": [...]}</c> with the ids of failed deliveries
/// (their events' cursors), or no body (or no ids) for all of them.
/// </summary>
internal sealed record RetryInput(IReadOnlyList<ChangeCursor>? Ids) : IEndpointParameterMetadataProvider
{
    /// <summary>The most ids one request may name.</summary>
    public const int MaxIds = 1000;

    public static async ValueTask<RetryInput> BindAsync(HttpContext context, ParameterInfo parameter)
    {
        if (context.Request.ContentLength is 0 || (context.Request.ContentLength is null && context.Request.ContentType is null))
        {
            return new RetryInput((IReadOnlyList<ChangeCursor>?)null);
        }

        if (await RequestBody.ReadJsonAsync(context.Request, context.RequestAborted) is not JsonObject body)
        {
            throw new StateFormatException("The body must be a JSON object {\"ids\": [...]}, or absent to retry every failed delivery.");
        }

        if (body["ids"] is null)
        {
            return new RetryInput((IReadOnlyList<ChangeCursor>?)null);
        }

        if (body["ids"] is not JsonArray { Count: >= 1 and <= MaxIds } ids)
        {
            throw new StateFormatException($"ids must be an array of 1 to {MaxIds} ids of failed deliveries.");
        }

        var cursors = new List<ChangeCursor>(ids.Count);
        for (var i = 0; i < ids.Count; i++)
        {
            cursors.Add(ids[i] is JsonValue id && id.GetValueKind() == JsonValueKind.String && ChangeCursor.TryDecode(id.GetValue<string>(), out var cursor)
                ? cursor
                : throw new StateFormatException($"ids[{i}] is not the id of a failed delivery; pass them as the list gives them."));
        }

        return new RetryInput(cursors);
    }

    public static void PopulateMetadata(ParameterInfo parameter, EndpointBuilder builder) => JsonInput.Describe(builder, typeof(RetryBody), optional: true);
}

/// <summary>The body of a retry request, for the OpenAPI document (it is read by <see cref="RetryInput"/>).</summary>
[Description("Which failed deliveries to try again; without ids (or without a body), all of them.")]
internal sealed class RetryBody
{
    [JsonPropertyName("ids"), Description("Ids of failed deliveries, as the list gives them.")]
    public IReadOnlyList<string>? Ids { get; init; }
}

/// <summary>A list of failed deliveries.</summary>
internal sealed record FailedDeliveriesBody([property: JsonPropertyName("items")] IReadOnlyList<FailedDeliveryBody> Items)
{
    public static FailedDeliveriesBody From(IReadOnlyList<FailedDelivery> failures) => new([.. failures.Select(FailedDeliveryBody.From)]);
}

/// <summary>One event whose webhook delivery failed after its last try.</summary>
internal sealed record FailedDeliveryBody(
    [property: JsonPropertyName("id"), Description("The event's cursor; its webhook-id is evt_ and this.")] string Id,
    [property: JsonPropertyName("thread_id")] string ThreadId,
    [property: JsonPropertyName("version")] int Version,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("attempts"), Description("How many times it was sent.")] int Attempts,
    [property: JsonPropertyName("last_error"), Description("Why the last try failed: an HTTP status, no answer in time, or a failed connection.")] string LastError,
    [property: JsonPropertyName("failed_at"), Description("When the last try failed: ISO-8601, UTC.")] string FailedAt)
{
    public static FailedDeliveryBody From(FailedDelivery failure) => new(
        failure.Id.Encode(), failure.ThreadId, failure.Version, failure.Kind, failure.Attempts, failure.LastError, PythonDate.Format(failure.FailedAt));
}

/// <summary>The answer to a retry request: how many failed deliveries go out again.</summary>
internal sealed record RetryAcceptedBody([property: JsonPropertyName("retrying"), Description("How many failed deliveries are queued to be sent again.")] int Retrying);
