using System.Reflection;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing.Patterns;

namespace BotStateCluster.Api;

/// <summary>
/// The <c>{userId}</c> route value of a state endpoint, bound as a handler parameter: decoded once
/// from the raw segment that routing matched (see <see cref="RequestTarget"/> for why), then validated
/// by <see cref="UserId"/>. Anything else is a 400 before the handler runs.
/// </summary>
internal readonly record struct RoutedUserId(UserId Value) : IEndpointParameterMetadataProvider
{
    /// <summary>The route parameter's name in every state URL.</summary>
    public const string RouteParameter = "userId";

    public static ValueTask<RoutedUserId> BindAsync(HttpContext context, ParameterInfo parameter)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget is { Length: > 0 } target ? target : context.Request.Path.Value ?? "/";
        var segments = RequestTarget.TryDecodePath(raw, out var problem)
            ?? throw new ApiProblemException(ProblemKinds.InvalidPath, problem!);

        // With no dot segments, Kestrel's routed path has the same segments as the raw one.
        var index = SegmentIndex(context);
        var routedSegments = (context.Request.Path.Value ?? "").Split('/').Length;
        if (index < 0 || index >= segments.Length || routedSegments != segments.Length)
        {
            throw new ApiProblemException(ProblemKinds.InvalidPath, "The request target does not match the path it was routed by.");
        }

        return UserId.TryParse(segments[index], out var userId, out problem)
            ? ValueTask.FromResult(new RoutedUserId(userId))
            : throw new ApiProblemException(ProblemKinds.InvalidUserId, problem!);
    }

    public static void PopulateMetadata(ParameterInfo parameter, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status400BadRequest, typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), ["application/problem+json"]));

    // The position of {userId} among the path's segments ("", "v1", "states", "{userId}", …).
    private static int SegmentIndex(HttpContext context)
    {
        if (context.GetEndpoint() is not RouteEndpoint { RoutePattern: var pattern })
        {
            return -1;
        }

        for (var i = 0; i < pattern.PathSegments.Count; i++)
        {
            if (pattern.PathSegments[i].Parts is [RoutePatternParameterPart { Name: RouteParameter }])
            {
                return i + 1;
            }
        }

        return -1;
    }
}
