using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace BotStateCluster.Api;

/// <summary>
/// When <c>API_KEYS</c> is set, a request needs <c>Authorization: Bearer &lt;key&gt;</c> or
/// <c>X-API-Key: &lt;key&gt;</c>. Keys are compared in constant time.
/// </summary>
/// <remarks>
/// Endpoints marked with <see cref="RequireApiKey"/> are checked by <see cref="UseApiKeys"/> before
/// their parameters are bound, so an unauthenticated request gets its 401 before its path or body is
/// read; as an endpoint filter the check runs after binding.
/// </remarks>
internal sealed class ApiKeyFilter(IOptions<ApiOptions> options) : IEndpointFilter
{
    private readonly byte[][] _keys = [.. options.Value.Keys.Select(key => SHA256.HashData(Encoding.UTF8.GetBytes(key)))];

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        Challenge(context.HttpContext) is { } refused ? ValueTask.FromResult<object?>(refused) : next(context);

    /// <summary>Marks the endpoints of <paramref name="builder"/> as needing a key, checked before binding.</summary>
    public static TBuilder RequireApiKey<TBuilder>(TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ApiKeyRequired());

    /// <summary>
    /// Refuses requests to endpoints marked with <see cref="RequireApiKey"/> that carry no valid key; without
    /// <c>API_KEYS</c> the API is open and no request pays for the check.
    /// </summary>
    public static IApplicationBuilder UseApiKeys(IApplicationBuilder app)
    {
        var filter = app.ApplicationServices.GetRequiredService<ApiKeyFilter>();
        return filter._keys.Length == 0 ? app : app.Use(async (context, next) =>
        {
            if (context.GetEndpoint()?.Metadata.GetMetadata<ApiKeyRequired>() is not null && filter.Challenge(context) is { } refused)
            {
                await refused.ExecuteAsync(context);
                return;
            }

            await next(context);
        });
    }

    private IResult? Challenge(HttpContext context)
    {
        if (_keys.Length == 0 || IsAuthorized(context.Request))
        {
            return null;
        }

        context.Response.Headers.WWWAuthenticate = "Bearer";
        return TypedResults.Problem(
            "Send an API key as 'Authorization: Bearer <key>' or 'X-API-Key: <key>'.",
            statusCode: StatusCodes.Status401Unauthorized,
            title: "API key required");
    }

    private sealed class ApiKeyRequired;

    private bool IsAuthorized(HttpRequest request)
    {
        var presented = request.Headers["X-API-Key"].ToString();
        var authorization = request.Headers.Authorization.ToString();
        if (presented.Length == 0 && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            presented = authorization["Bearer ".Length..].Trim();
        }

        if (presented.Length == 0)
        {
            return false;
        }

        // Hashing first makes every comparison the same length, so timing reveals nothing about the keys.
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        var match = false;
        foreach (var key in _keys)
        {
            match |= CryptographicOperations.FixedTimeEquals(hash, key);
        }

        return match;
    }
}
