using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;

namespace BotStateCluster.Api.Keys;

/// <summary>
/// Keys, scopes and rate limits on the API, from the platform's parts: an authentication handler that yields the
/// tenant and scopes as claims, one authorization policy per scope applied to route groups, and ASP.NET Core's rate
/// limiter partitioned by key. Without keys (no <c>API_KEYS</c>, no <c>API_KEYS_FILE</c>) none of it is registered: the
/// API is open, every request is tenant <c>default</c>, and no request pays for a check.
/// </summary>
internal static class ApiSecurity
{
    public static IServiceCollection AddApiSecurity(this IServiceCollection services, ApiOptions options)
    {
        if (!options.KeysConfigured)
        {
            return services;
        }

        // The authorization middleware reads this switch on every request. Unset, the read falls through to the process's
        // AppContext data under a lock every request contends for (3 % of a hot read). Set to its default, nothing changes
        // but that look-up.
        AppContext.SetSwitch("Microsoft.AspNetCore.Authorization.SuppressUseHttpContextAsAuthorizationResource", false);
        services.AddSingleton(ApiKeyRing.Load(options));
        services.AddHostedService<ApiKeyFileWatcher>();
        services.AddStatelessAuthenticationServices();
        services.AddAuthentication(authentication =>
        {
            authentication.DefaultScheme = ApiKeyAuthentication.SchemeName;
            authentication.AddScheme<ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, displayName: null);
        });
        services.AddStatelessAuthorizationServices();
        services.AddAuthorizationBuilder().AddScopePolicies();
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, ApiAuthorizationResults>();
        services.AddKeyRateLimits();
        return services;
    }

    /// <summary>
    /// After routing: who the caller is, whether the key may, whether it is within its limit. Only keys with a limit
    /// pass through the rate limiter: its partitions sit behind one lock that every request would contend for.
    /// </summary>
    public static IApplicationBuilder UseApiSecurity(this IApplicationBuilder app, ApiOptions options)
    {
        if (options.KeysConfigured)
        {
            app.UseAuthentication();
            app.UseAuthorization();
            app.UseWhen(static context => context.User is ApiKeyPrincipal { Entry.RateLimit: not null }, limited => limited.UseRateLimiter());
        }

        return app;
    }

    /// <summary>The endpoints of <paramref name="group"/> need a key with <paramref name="scope"/>, within its rate limit.</summary>
    public static RouteGroupBuilder RequireScope(this RouteGroupBuilder group, string scope, ApiOptions options) =>
        options.KeysConfigured ? group.RequireAuthorization(scope).RequireRateLimiting(KeyRateLimits.Policy) : group;

    /// <summary>
    /// ASP.NET Core makes its authentication service and handler provider for every request; these live as long as the
    /// process (a key's handler is still one per request). Registered first, they are the ones the framework keeps.
    /// </summary>
    private static void AddStatelessAuthenticationServices(this IServiceCollection services)
    {
        services.AddSingleton<ApiKeyHandlers>();
        services.AddSingleton<IAuthenticationHandlerProvider>(provider => provider.GetRequiredService<ApiKeyHandlers>());
        services.AddSingleton<IAuthenticationService, ApiKeyAuthenticationService>();
        services.AddSingleton<IAuthenticationSchemeProvider, SteadyAuthenticationSchemes>();
    }

    /// <summary>
    /// ASP.NET Core registers its authorization services as transient, so the authorization middleware built a graph of
    /// eight new objects for every request. None of them keeps anything of a request (the handler context carries
    /// that), so one of each serves all; registered first, these are the ones the framework's own registration keeps.
    /// </summary>
    private static void AddStatelessAuthorizationServices(this IServiceCollection services)
    {
        services.AddSingleton<IAuthorizationService, DefaultAuthorizationService>();
        services.AddSingleton<IAuthorizationPolicyProvider, DefaultAuthorizationPolicyProvider>();
        services.AddSingleton<IAuthorizationHandlerProvider, DefaultAuthorizationHandlerProvider>();
        services.AddSingleton<IAuthorizationEvaluator, DefaultAuthorizationEvaluator>();
        services.AddSingleton<IAuthorizationHandlerContextFactory, DefaultAuthorizationHandlerContextFactory>();
        services.AddSingleton<IAuthorizationHandler, PassThroughAuthorizationHandler>();
        services.AddSingleton<IPolicyEvaluator, PolicyEvaluator>();
    }

    private static AuthorizationBuilder AddScopePolicies(this AuthorizationBuilder authorization)
    {
        foreach (var scope in ApiScopes.All)
        {
            authorization.AddPolicy(scope, policy => policy.AddRequirements(new ScopeRequirement(scope)));
        }

        return authorization;
    }
}
