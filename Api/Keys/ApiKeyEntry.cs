using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;

namespace BotStateCluster.Api.Keys;

/// <summary>A key's rate limit: a token bucket refilled with <see cref="PerSecond"/> tokens a second, holding at most <see cref="Burst"/>.</summary>
public sealed record RateLimit(int PerSecond, int Burst);

/// <summary>
/// One API key as the service knows it: never the key itself, only its SHA-256, with the tenant it belongs to, its
/// scopes and its rate limit.
/// </summary>
public sealed record ApiKeyEntry(string Id, TenantId Tenant, IReadOnlyList<string> Scopes, string Sha256, RateLimit? RateLimit)
{
    /// <summary>The caller a request with this key is: built once per key, shared by its requests, never changed.</summary>
    public ApiKeyPrincipal Principal => field ??= new ApiKeyPrincipal(this);

    /// <summary>
    /// The authentication of a request with this key, built once and answered to each of its requests: nothing in a
    /// request changes a ticket, and a hot read then allocates nothing to know its caller.
    /// </summary>
    public Task<AuthenticateResult> Authenticated =>
        field ??= Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(Principal, ApiKeyAuthentication.SchemeName)));

    /// <summary>
    /// Names the key's rate-limit bucket; a changed limit is a new bucket, so an edit of the file takes effect at once.
    /// </summary>
    public string RateLimitPartition => field ??= $"{Id}/{RateLimit?.PerSecond}/{RateLimit?.Burst}";
}

/// <summary>The claims of an authenticated key: its tenant, its scopes and its id, and the entry itself.</summary>
public sealed class ApiKeyPrincipal : ClaimsPrincipal
{
    /// <summary>The claim type of the tenant.</summary>
    public const string TenantClaim = "tenant";

    /// <summary>The claim type of a scope (one claim per scope).</summary>
    public const string ScopeClaim = "scope";

    /// <summary>The claim type of the key's id (for logs and metrics, never the key).</summary>
    public const string KeyIdClaim = "key_id";

    public ApiKeyPrincipal(ApiKeyEntry entry)
        : base(new ClaimsIdentity(
            [
                new Claim(KeyIdClaim, entry.Id),
                new Claim(TenantClaim, entry.Tenant.Value),
                .. entry.Scopes.Select(scope => new Claim(ScopeClaim, scope)),
            ],
            ApiKeyAuthentication.SchemeName))
    {
        Entry = entry;
    }

    public ApiKeyEntry Entry { get; }
}
