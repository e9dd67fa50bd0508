using System.ComponentModel;
using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace BotStateCluster.Api;

/// <summary>The write conditions of a request: <c>If-Match</c> and, where allowed, <c>If-None-Match: *</c>.</summary>
internal sealed record WriteConditions(
    [property: FromHeader(Name = "If-Match"), Description("Write only if the stored version is one of these strong ETags (\"3\"), or * for any existing state.")]
    string? IfMatch,
    [property: FromHeader(Name = "If-None-Match"), Description("* on PUT: create only, 412 when a state exists.")]
    string? IfNoneMatch)
{
    public VersionCondition Condition(bool allowCreateOnly) => EntityTags.Condition(IfMatch, IfNoneMatch, allowCreateOnly);
}

/// <summary>The condition of a delete, a restore or a fork: <c>If-Match</c>, on the conversation of the path.</summary>
internal sealed record IfMatchConditions(
    [property: FromHeader(Name = "If-Match"), Description("Only if the stored version is one of these strong ETags, or * for any existing state.")]
    string? IfMatch)
{
    public VersionCondition Condition => EntityTags.Condition(IfMatch, default, allowCreateOnly: false);
}

/// <summary>The conditions of a turn: <c>If-Match</c> and its <c>Idempotency-Key</c>.</summary>
internal sealed record TurnConditions(
    [property: FromHeader(Name = "If-Match"), Description("Apply the turn only if the stored version is one of these strong ETags, or * for any existing state.")]
    string? IfMatch,
    [property: FromHeader(Name = MessageRequest.IdempotencyKeyHeader), Description("1 to 255 printable characters: a turn repeated with the same key returns the first result and is not applied twice.")]
    string? IdempotencyKey)
{
    public VersionCondition Condition => EntityTags.Condition(IfMatch, default, allowCreateOnly: false);
}

/// <summary>The read condition of <c>GET</c>: <c>If-None-Match</c>.</summary>
internal sealed record ReadConditions(
    [property: FromHeader(Name = "If-None-Match"), Description("304 when the state still has one of these ETags.")]
    string? IfNoneMatch);

/// <summary>History paging: <c>limit</c> and <c>before</c>, as text so that a bad value gets our own 400.</summary>
internal sealed record HistoryQuery(
    [property: FromQuery(Name = "limit"), Description("Snapshots per page, 1 to 100 (default 20).")]
    string? Limit,
    [property: FromQuery(Name = "before"), Description("Only snapshots older than this version: the next_before of the previous page.")]
    string? Before);

/// <summary>A state sent with PUT, read within the body limits; its from_dict rules apply in the handler.</summary>
internal sealed record StateInput(JsonNode? Json) : IEndpointParameterMetadataProvider
{
    public static async ValueTask<StateInput> BindAsync(HttpContext context, ParameterInfo parameter) =>
        new(await RequestBody.ReadJsonAsync(context.Request, context.RequestAborted));

    public static void PopulateMetadata(ParameterInfo parameter, EndpointBuilder builder) => JsonInput.Describe(builder, typeof(StateBody));
}

/// <summary>The user message of a turn, read within the body limits and checked against the contract.</summary>
internal sealed record MessageInput(IncomingMessage Message) : IEndpointParameterMetadataProvider
{
    public static async ValueTask<MessageInput> BindAsync(HttpContext context, ParameterInfo parameter) =>
        new(MessageRequest.Parse(await RequestBody.ReadJsonAsync(context.Request, context.RequestAborted)));

    public static void PopulateMetadata(ParameterInfo parameter, EndpointBuilder builder) => JsonInput.Describe(builder, typeof(MessageBody));
}

internal static class JsonInput
{
    /// <summary>Tells the OpenAPI document the body's schema and the answers a body can get before the handler runs.</summary>
    public static void Describe(EndpointBuilder builder, Type bodyType, bool optional = false)
    {
        builder.Metadata.Add(new AcceptsMetadata(["application/json"], bodyType, isOptional: optional));
        foreach (var status in new[] { StatusCodes.Status400BadRequest, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType })
        {
            builder.Metadata.Add(new ProducesResponseTypeMetadata(status, typeof(ProblemDetails), ["application/problem+json"]));
        }
    }
}
