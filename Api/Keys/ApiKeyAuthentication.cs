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
/// request, which was most of what a key cost a hot read. This handler has nothing to configure, and logs a refused key
/// as the base class would (its id is unknown; the key itself is never logged).
/// </remarks>
internal sealed partial class ApiKeyAuthentication(ApiKeyRing keys, ILogger<ApiKeyAuthentication> logger) : IAuthenticationHandler
{
    public const string SchemeName = "ApiKey";

    public const string KeyHeader = "X-API-Key";

    private const string BearerPrefix = "Bearer ";

    private HttpContext? _context;

    // The result of this request, kept for a second ask (the 401 answer reads why the key failed).
    private AuthenticateResult? _result;

    public Task InitializeAsync(AuthenticationScheme scheme, HttpContext context)
    {
        _context = context;
        return Task.CompletedTask;
    }

    public Task<AuthenticateResult> AuthenticateAsync()
    {
        if (_result is null)
        {
            _result = Authenticate(_context?.Request ?? throw new InvalidOperationException("The handler was not initialized."));
            if (_result.Failure is { } failure)
            {
                LogRefused(logger, failure.Message);
            }
        }

        return Task.FromResult(_result);
    }

    public Task ChallengeAsync(AuthenticationProperties? properties) => Answer(StatusCodes.Status401Unauthorized);

    public Task ForbidAsync(AuthenticationProperties? properties) => Answer(StatusCodes.Status403Forbidden);

    private Task Answer(int status)
    {
        _context!.Response.StatusCode = status;
        return Task.CompletedTask;
    }

    private AuthenticateResult Authenticate(HttpRequest request)
    {
        var headerKey = request.Headers[KeyHeader].ToString();
        var authorization = request.Headers.Authorization.ToString();
        var bearerKey = authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase) ? authorization[BearerPrefix.Length..].Trim() : "";
        if (headerKey.Length > 0 && bearerKey.Length > 0 && !string.Equals(headerKey, bearerKey, StringComparison.Ordinal))
        {
            // Which one was meant cannot be told; taking either would let a proxy's header override the client's.
            return AuthenticateResult.Fail($"The {KeyHeader} and Authorization headers hold different keys; send one key.");
        }

        var presented = headerKey.Length > 0 ? headerKey : bearerKey;
        if (presented.Length == 0)
        {
            return AuthenticateResult.NoResult();
        }

        return keys.Current.Find(presented) is { } entry
            ? AuthenticateResult.Success(new AuthenticationTicket(entry.Principal, SchemeName))
            : AuthenticateResult.Fail("The API key is not valid (unknown or revoked).");
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "API key refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string reason);
}
