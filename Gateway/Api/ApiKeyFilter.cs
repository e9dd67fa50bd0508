using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace BotStateCluster.Gateway.Api;

/// <summary>
/// When <c>API_KEYS</c> is set, a request needs <c>Authorization: Bearer &lt;key&gt;</c> or
/// <c>X-API-Key: &lt;key&gt;</c>. Keys are compared in constant time.
/// </summary>
internal sealed class ApiKeyFilter(IOptions<GatewayOptions> options) : IEndpointFilter
{
    private readonly byte[][] _keys = [.. options.Value.Keys.Select(key => SHA256.HashData(Encoding.UTF8.GetBytes(key)))];

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (_keys.Length == 0 || IsAuthorized(context.HttpContext.Request))
        {
            return next(context);
        }

        context.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
        return ValueTask.FromResult<object?>(TypedResults.Problem(
            "Send an API key as 'Authorization: Bearer <key>' or 'X-API-Key: <key>'.",
            statusCode: StatusCodes.Status401Unauthorized,
            title: "API key required"));
    }

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
