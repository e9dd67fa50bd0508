using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace BotStateCluster.Api.Keys;

/// <summary>
/// Who the caller is: the key sent as <c>Authorization: Bearer &lt;key&gt;</c> or <c>X-API-Key: &lt;key&gt;</c>, found
/// among the keys in force (<see cref="ApiKeyRing"/>), yields its tenant, scopes and id as claims. No key is no
/// result (authorization then asks for one); an unknown key, or two headers naming different keys, is a failure.
/// </summary>
internal sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyRing keys) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    public const string KeyHeader = "X-API-Key";

    private const string BearerPrefix = "Bearer ";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var headerKey = Request.Headers[KeyHeader].ToString();
        var authorization = Request.Headers.Authorization.ToString();
        var bearerKey = authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase) ? authorization[BearerPrefix.Length..].Trim() : "";
        if (headerKey.Length > 0 && bearerKey.Length > 0 && !string.Equals(headerKey, bearerKey, StringComparison.Ordinal))
        {
            // Which one was meant cannot be told; taking either would let a proxy's header override the client's.
            return Task.FromResult(AuthenticateResult.Fail($"The {KeyHeader} and Authorization headers hold different keys; send one key."));
        }

        var presented = headerKey.Length > 0 ? headerKey : bearerKey;
        if (presented.Length == 0)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        return Task.FromResult(keys.Current.Find(presented) is { } entry
            ? AuthenticateResult.Success(new AuthenticationTicket(entry.Principal, SchemeName))
            : AuthenticateResult.Fail("The API key is not valid (unknown or revoked)."));
    }
}
