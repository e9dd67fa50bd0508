using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace BotStateCluster.Api.Keys;

/// <summary>
/// Makes the handler of a request: one scheme, so none of the default provider's per-request map of handlers, and a
/// service that lives as long as the process rather than one made for every request.
/// </summary>
internal sealed class ApiKeyHandlers(ApiKeyRing keys, ILogger<ApiKeyAuthentication> logger) : IAuthenticationHandlerProvider
{
    private static readonly AuthenticationScheme Scheme = new(ApiKeyAuthentication.SchemeName, null, typeof(ApiKeyAuthentication));

    public ApiKeyAuthentication Create(HttpContext context)
    {
        var handler = new ApiKeyAuthentication(keys, logger);
        handler.InitializeAsync(Scheme, context);
        return handler;
    }

    public Task<IAuthenticationHandler?> GetHandlerAsync(HttpContext context, string authenticationScheme) =>
        Task.FromResult<IAuthenticationHandler?>(authenticationScheme == ApiKeyAuthentication.SchemeName ? Create(context) : null);
}

/// <summary>
/// ASP.NET Core's authentication service, answering with the key's own result. The default one is made for every
/// request, and copies each result into a new ticket after a claims transformation, remembering the principal for the
/// request; with no transformation configured, that copy is the handler's result again, so it is skipped.
/// </summary>
internal sealed class ApiKeyAuthenticationService(
    IAuthenticationSchemeProvider schemes,
    ApiKeyHandlers handlers,
    IClaimsTransformation transform,
    IOptions<AuthenticationOptions> options) : AuthenticationService(schemes, handlers, transform, options)
{
    public override Task<AuthenticateResult> AuthenticateAsync(HttpContext context, string? scheme) =>
        scheme is null or ApiKeyAuthentication.SchemeName && Transform is NoopClaimsTransformation
            ? handlers.Create(context).AuthenticateAsync()
            : base.AuthenticateAsync(context, scheme);
}

/// <summary>
/// The schemes, answering the two questions the authentication middleware asks of every request with the same task
/// rather than a new one each time; a scheme added or removed makes them be asked again.
/// </summary>
internal sealed class SteadyAuthenticationSchemes(IOptions<AuthenticationOptions> options) : AuthenticationSchemeProvider(options)
{
    private Task<AuthenticationScheme?>? _defaultAuthenticate;
    private Task<IEnumerable<AuthenticationScheme>>? _requestHandlers;

    public override Task<AuthenticationScheme?> GetDefaultAuthenticateSchemeAsync() =>
        _defaultAuthenticate ??= base.GetDefaultAuthenticateSchemeAsync();

    public override Task<IEnumerable<AuthenticationScheme>> GetRequestHandlerSchemesAsync() =>
        _requestHandlers ??= base.GetRequestHandlerSchemesAsync();

    public override void AddScheme(AuthenticationScheme scheme)
    {
        base.AddScheme(scheme);
        Forget();
    }

    public override bool TryAddScheme(AuthenticationScheme scheme)
    {
        var added = base.TryAddScheme(scheme);
        Forget();
        return added;
    }

    public override void RemoveScheme(string name)
    {
        base.RemoveScheme(name);
        Forget();
    }

    private void Forget() => (_defaultAuthenticate, _requestHandlers) = (null, null);
}
