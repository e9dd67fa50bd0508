using System.Reflection;

namespace BotStateCluster.Api.Keys;

/// <summary>
/// The tenant a request acts for, bound as a handler parameter: the authenticated key's tenant, or <c>default</c> when
/// the service has no keys (an open API). Handlers never read headers or claims themselves.
/// </summary>
internal readonly record struct Caller(TenantId Tenant)
{
    private static readonly Caller Open = new(TenantId.Default);

    public static ValueTask<Caller> BindAsync(HttpContext context, ParameterInfo parameter)
    {
        if (context.User is ApiKeyPrincipal principal)
        {
            return ValueTask.FromResult(new Caller(principal.Entry.Tenant));
        }

        // An endpoint that forgot its policy must not fall back to the default tenant when the service has keys.
        return context.RequestServices.GetService<ApiKeyRing>() is null
            ? ValueTask.FromResult(Open)
            : throw new ApiProblemException(ProblemKinds.Unauthorized, ProblemKinds.Unauthorized.DefaultDetail);
    }

    /// <summary>The tenant of a request for the metrics' label: its key's, <c>default</c> on an open API, else none.</summary>
    public static string MetricsLabel(HttpContext context) =>
        context.User is ApiKeyPrincipal principal ? principal.Entry.Tenant.Value
        : context.RequestServices.GetService<ApiKeyRing>() is null ? TenantId.Default.Value
        : "";
}
