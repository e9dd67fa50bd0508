using Microsoft.AspNetCore.Authorization;

namespace BotStateCluster.Api.Keys;

/// <summary>
/// The key has <see cref="Scope"/>: the requirement of each scope's policy, and its own handler (authorization runs a
/// requirement that handles itself). It reads the key's entry instead of walking the principal's claims, since it runs
/// on every request.
/// </summary>
internal sealed class ScopeRequirement(string scope) : AuthorizationHandler<ScopeRequirement>, IAuthorizationRequirement
{
    public string Scope => scope;

    // The base class would look for every ScopeRequirement of the policy, through an iterator and a state machine, on
    // every request; authorization already calls each requirement that handles itself, so this one handles itself only.
    public override Task HandleAsync(AuthorizationHandlerContext context) => HandleRequirementAsync(context, this);

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRequirement requirement)
    {
        // Unauthenticated, it fails, and authorization answers with a challenge (401) rather than a 403.
        if (context.User is ApiKeyPrincipal principal && principal.Entry.Scopes.Contains(requirement.Scope))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
