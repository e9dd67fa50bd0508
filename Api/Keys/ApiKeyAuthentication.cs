using Microsoft.AspNetCore.Authentication;

namespace BotStateCluster.Api.Keys;

/// <summary>
/// Who the caller is: the key sent as <c>Authorization: Bearer &lt;key&gt;</c> or <c>X-API-Key: &lt;key&gt;</c>, found
/// among the keys in force (<see cref="ApiKeyRing"/>), yields its tenant, scopes and id as claims. No key is no
/// result (authorization then asks for one); an unknown key, or two headers naming different keys, is a failure.
/// </summary>
/// <remarks>
/// An <see cref="IAuthenticationHandler"/> of its own rather than an <see cref="AuthenticationHandler{TOptions}"/>: that
/// base class creates a logger (under the logger factory's lock), resolves its options and builds its events for every
/// request, which was most of what a key cost a hot read. This handler has nothing to configure, answers a known key
/// with that key's result, built once (<see cref="ApiKeyEntry.Authenticated"/>), and logs a refused key once per
/// request as the base class would (its id is unknown; the key itself is never logged).
/// </remarks>
internal sealed partial class ApiKeyAuthentication(ApiKeyRing keys, ILogger<ApiKeyAuthentication> logger) : IAuthenticationHandler
{
    public const string SchemeName = "ApiKey";

    public const string KeyHeader = "X-API-Key";

    private const string BearerPrefix = "Bearer ";

    private static readonly Task<AuthenticateResult> NoKey = Task.FromResult(AuthenticateResult.NoResult());

    // Where a request's refusal is kept: the 401 answer asks again for why, and that must not log it a second time.
    private static readonly object RefusalItem = new();

    private HttpContext? _context;

    public Task InitializeAsync(AuthenticationScheme scheme, HttpContext context)
    {
        _context = context;
        return Task.CompletedTask;
    }

    public Task<AuthenticateResult> AuthenticateAsync()
    {
        var context = _context ?? throw new InvalidOperationException("The handler was not initialized.");
        var (entry, refusal) = Find(context.Request);
        if (entry is not null)
        {
            return entry.Authenticated;
        }

        if (refusal is null)
        {
            return NoKey;
        }

        if (context.Items.TryGetValue(RefusalItem, out var kept) && kept is Task<AuthenticateResult> refused)
        {
            return refused;
        }

        LogRefused(logger, refusal);
        refused = Task.FromResult(AuthenticateResult.Fail(refusal));
        context.Items[RefusalItem] = refused;
        return refused;
    }

    public Task ChallengeAsync(AuthenticationProperties? properties) => Answer(StatusCodes.Status401Unauthorized);

    public Task ForbidAsync(AuthenticationProperties? properties) => Answer(StatusCodes.Status403Forbidden);

    private Task Answer(int status)
    {
        _context!.Response.StatusCode = status;
        return Task.CompletedTask;
    }

    /// <summary>The entry of the key the request presents; or why it is refused; or neither, when it presents none.</summary>
    private (ApiKeyEntry? Entry, string? Refusal) Find(HttpRequest request)
    {
        var headerKey = request.Headers[KeyHeader].ToString().AsSpan();
        var authorization = request.Headers.Authorization.ToString().AsSpan();
        var bearerKey = authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase) ? authorization[BearerPrefix.Length..].Trim() : ReadOnlySpan<char>.Empty;
        if (!headerKey.IsEmpty && !bearerKey.IsEmpty && !headerKey.SequenceEqual(bearerKey))
        {
            // Which one was meant cannot be told; taking either would let a proxy's header override the client's.
            return (null, $"The {KeyHeader} and Authorization headers hold different keys; send one key.");
        }

        var presented = headerKey.IsEmpty ? bearerKey : headerKey;
        if (presented.IsEmpty)
        {
            return (null, null);
        }

        return keys.Current.Find(presented) is { } entry ? (entry, null) : (null, "The API key is not valid (unknown or revoked).");
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "API key refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string reason);
}
