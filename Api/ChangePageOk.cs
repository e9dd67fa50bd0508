using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Metadata;

namespace BotStateCluster.Api;

/// <summary>
/// 200 with a page of the change feed, <c>{items, next_cursor}</c>, each event's state written as the bytes stored. The
/// OpenAPI document describes it as <see cref="ChangePageBody"/>.
/// </summary>
internal sealed class ChangePageOk(IReadOnlyList<ChangeEvent> events, ChangeCursor next) : IResult, IStatusCodeHttpResult, IEndpointMetadataProvider
{
    private static readonly JsonWriterOptions Options = new() { Encoder = StateJson.Encoder };

    public int? StatusCode => StatusCodes.Status200OK;

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(ChangePageBody), ["application/json"]));

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        await using var writer = new Utf8JsonWriter(response.BodyWriter, Options);
        writer.WriteStartObject();
        writer.WriteStartArray("items");
        foreach (var change in events)
        {
            ChangeEventJson.Write(writer, change);
        }

        writer.WriteEndArray();
        writer.WriteString("next_cursor", next.Encode());
        writer.WriteEndObject();
        await writer.FlushAsync(httpContext.RequestAborted);
    }
}
