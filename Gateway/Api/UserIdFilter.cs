using Microsoft.AspNetCore.Http.Features;

namespace BotStateCluster.Gateway.Api;

/// <summary>
/// Reads and validates the <c>{userId}</c> segment for every state endpoint. The raw target is decoded
/// here because routing leaves <c>%2F</c> encoded, and a user id may contain a slash.
/// </summary>
internal sealed class UserIdFilter : IEndpointFilter
{
    private const string ItemKey = "botstate.userId";
    private const int SegmentIndex = 3; // "", "v1", "states", "{userId}", …

    public static string UserId(HttpContext context) => (string)context.Items[ItemKey]!;

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var raw = http.Features.Get<IHttpRequestFeature>()?.RawTarget ?? http.Request.Path.Value ?? "";
        var path = raw.Split('?', 2)[0];
        var segments = path.Split('/');
        string? userId = null;
        string? problem;
        try
        {
            userId = segments.Length > SegmentIndex ? Uri.UnescapeDataString(segments[SegmentIndex]) : null;
            problem = StateGrainKey.Validate(userId);
        }
        catch (UriFormatException)
        {
            problem = "The user id is not valid percent-encoding.";
        }

        if (problem is not null)
        {
            return ValueTask.FromResult<object?>(ApiProblems.BadRequest("Invalid user id", problem));
        }

        http.Items[ItemKey] = userId;
        return next(context);
    }
}
