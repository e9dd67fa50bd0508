using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Authentication;

namespace BotStateCluster.Api.Keys;

/// <summary>
/// Answers a refused request as problem+json: 401 <c>unauthorized</c> (with <c>WWW-Authenticate: Bearer</c>) without a
/// valid key, saying why, and 403 <c>forbidden</c> naming the scope the key lacks.
/// </summary>
internal sealed class ApiAuthorizationResults : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    // Not async itself: an allowed request, nearly all of them, goes on without a state machine of its own.
    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult) =>
        authorizeResult.Succeeded ? next(context) : RefuseAsync(next, context, policy, authorizeResult);

    private async Task RefuseAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Challenged)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            // The middleware keeps only a successful result; the handler keeps its result for the request, failure included.
            var failure = (await context.AuthenticateAsync(ApiKeyAuthentication.SchemeName)).Failure?.Message;
            await ApiProblems.Problem(ProblemKinds.Unauthorized, failure ?? ProblemKinds.Unauthorized.DefaultDetail).ExecuteAsync(context);
            return;
        }

        if (authorizeResult.Forbidden)
        {
            var scopes = authorizeResult.AuthorizationFailure?.FailedRequirements.OfType<ScopeRequirement>()
                .Select(requirement => requirement.Scope).ToList();
            var detail = scopes is { Count: > 0 }
                ? $"This API key does not have the '{string.Join("' or '", scopes)}' scope this operation needs."
                : ProblemKinds.Forbidden.DefaultDetail;
            await ApiProblems.Problem(ProblemKinds.Forbidden, detail).ExecuteAsync(context);
            return;
        }

        await _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
