using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;

namespace BotStateCluster.Api;

/// <summary>
/// A state answered as the bytes its grain serialized for that version (<see cref="VersionedState.Json"/>): the
/// gateway builds no JSON tree and serializes nothing. The OpenAPI document describes the body as <see cref="StateBody"/>,
/// which is the same JSON field for field.
/// </summary>
internal abstract class StateJsonResult(VersionedState state, int statusCode) : IResult, IStatusCodeHttpResult, IValueHttpResult, IValueHttpResult<byte[]>
{
    public int StatusCode { get; } = statusCode;

    int? IStatusCodeHttpResult.StatusCode => StatusCode;

    public byte[] Value => state.Json;

    object? IValueHttpResult.Value => Value;

    public virtual Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCode;
        response.ContentType = "application/json; charset=utf-8";
        response.ContentLength = state.Json.Length;
        return response.Body.WriteAsync(state.Json).AsTask();
    }

    protected static void Describe(EndpointBuilder builder, int statusCode) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(statusCode, typeof(StateBody), ["application/json"]));
}

/// <summary>200 with the state.</summary>
internal sealed class StateOk(VersionedState state) : StateJsonResult(state, StatusCodes.Status200OK), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Describe(builder, StatusCodes.Status200OK);
}

/// <summary>201 with the state and the <c>Location</c> of the new conversation.</summary>
internal sealed class StateCreated(VersionedState state, string location) : StateJsonResult(state, StatusCodes.Status201Created), IEndpointMetadataProvider
{
    public string Location { get; } = location;

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Describe(builder, StatusCodes.Status201Created);

    public override Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.Headers.Location = Location;
        return base.ExecuteAsync(httpContext);
    }
}
