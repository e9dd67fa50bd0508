using System.ComponentModel;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Metadata;

namespace BotStateCluster.Api;

/// <summary>The body of <c>POST …/restore</c>, <c>{"version": n}</c>, read within the body limits and checked.</summary>
internal sealed record RestoreInput(int Version) : IEndpointParameterMetadataProvider
{
    public static async ValueTask<RestoreInput> BindAsync(HttpContext context, ParameterInfo parameter)
    {
        var body = TimeTravelBody.Object(await RequestBody.ReadJsonAsync(context.Request, context.RequestAborted), "{\"version\": n}");
        return new RestoreInput(TimeTravelBody.Version(body) ?? throw new StateFormatException("version is required: the version whose snapshot becomes the state again."));
    }

    public static void PopulateMetadata(ParameterInfo parameter, EndpointBuilder builder) => JsonInput.Describe(builder, typeof(RestoreBody));
}

/// <summary>The body of <c>POST …/fork</c>, <c>{"to": "otherUserId", "version": n?}</c>, read within the body limits and checked.</summary>
internal sealed record ForkInput(UserId To, int? Version) : IEndpointParameterMetadataProvider
{
    public static async ValueTask<ForkInput> BindAsync(HttpContext context, ParameterInfo parameter)
    {
        var body = TimeTravelBody.Object(await RequestBody.ReadJsonAsync(context.Request, context.RequestAborted), "{\"to\": \"otherUserId\", \"version\": n}");
        if (body["to"] is not JsonValue to || to.GetValueKind() != JsonValueKind.String)
        {
            throw new StateFormatException("to is required and must be a string: the user id of the new conversation.");
        }

        return UserId.TryParse(to.GetValue<string>(), out var target, out var problem)
            ? new ForkInput(target, TimeTravelBody.Version(body))
            : throw new StateFormatException($"to: {problem}");
    }

    public static void PopulateMetadata(ParameterInfo parameter, EndpointBuilder builder) => JsonInput.Describe(builder, typeof(ForkBody));
}

/// <summary>What the time-travel bodies have in common.</summary>
internal static class TimeTravelBody
{
    /// <exception cref="StateFormatException">The body is not a JSON object.</exception>
    public static JsonObject Object(JsonNode? body, string shape) =>
        body as JsonObject ?? throw new StateFormatException($"The body must be a JSON object {shape}.");

    /// <summary>The body's <c>version</c>, or null when it has none.</summary>
    /// <exception cref="StateFormatException">The version is not a whole number from 1.</exception>
    public static int? Version(JsonObject body) => body["version"] switch
    {
        null => null,
        JsonValue value when value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<int>(out var version) && version >= 1 => version,
        _ => throw new StateFormatException("version must be a whole number from 1, a version the state had (its ETag)."),
    };
}

/// <summary>The body of <c>POST …/restore</c>, for the OpenAPI document (it is read by <see cref="RestoreInput"/>).</summary>
[Description("Which snapshot becomes the current state again, as a new version.")]
internal sealed class RestoreBody
{
    [JsonPropertyName("version"), Description("The version whose snapshot to restore (GET …/history lists them).")]
    public required int Version { get; init; }
}

/// <summary>The body of <c>POST …/fork</c>, for the OpenAPI document (it is read by <see cref="ForkInput"/>).</summary>
[Description("A new conversation of the same tenant, starting from a snapshot or the current state.")]
internal sealed class ForkBody
{
    [JsonPropertyName("to"), Description("The user id of the new conversation; 409 when it has a state.")]
    public required string To { get; init; }

    [JsonPropertyName("version"), Description("The version whose snapshot to start from; the current state when absent.")]
    public int? Version { get; init; }
}
