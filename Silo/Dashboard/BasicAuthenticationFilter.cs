using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace BotStateCluster.Silo.Dashboard;

/// <summary>HTTP basic authentication for the dashboard, compared in constant time.</summary>
internal sealed class BasicAuthenticationFilter(string username, string password) : IEndpointFilter
{
    private readonly byte[] _expected = SHA256.HashData(Encoding.UTF8.GetBytes($"{username}:{password}"));

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (IsAuthorized(context.HttpContext.Request.Headers.Authorization.ToString()))
        {
            return next(context);
        }

        context.HttpContext.Response.Headers.WWWAuthenticate = "Basic realm=\"Orleans dashboard\", charset=\"UTF-8\"";
        return ValueTask.FromResult<object?>(Results.StatusCode(StatusCodes.Status401Unauthorized));
    }

    private bool IsAuthorized(string header)
    {
        if (!AuthenticationHeaderValue.TryParse(header, out var value)
            || !"Basic".Equals(value.Scheme, StringComparison.OrdinalIgnoreCase) || value.Parameter is null)
        {
            return false;
        }

        try
        {
            var presented = Convert.FromBase64String(value.Parameter);
            return CryptographicOperations.FixedTimeEquals(SHA256.HashData(presented), _expected);
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
