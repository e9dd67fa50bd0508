using BotStateCluster.Api;
using BotStateCluster.Api.Keys;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;

namespace BotStateCluster.UnitTests;

public sealed class ScopeRequirementTests
{
    [Theory]
    [InlineData(new[] { "read", "write" }, new[] { "read", "write" }, true)]
    [InlineData(new[] { "read" }, new[] { "read", "write" }, false)]
    [InlineData(new[] { "write" }, new[] { "read" }, false)]
    [InlineData(new[] { "read", "privacy" }, new[] { "privacy" }, true)]
    public async Task AKeyMeetsAPolicyOnlyWithEveryScopeItAsks(string[] keyScopes, string[] asked, bool allowed)
    {
        var key = new ApiKeyEntry("k", TenantId.Parse("acme"), keyScopes, new string('0', 64), null);
        var context = new AuthorizationHandlerContext(asked.Select(scope => new ScopeRequirement(scope)).ToList(), key.Principal, null);

        // As authorization runs them: every requirement that handles itself is asked in turn.
        await new PassThroughAuthorizationHandler().HandleAsync(context);

        Assert.Equal(allowed, context.HasSucceeded);
    }

    [Fact]
    public async Task NoKeyMeetsNoScope()
    {
        var context = new AuthorizationHandlerContext([new ScopeRequirement("read")], new System.Security.Claims.ClaimsPrincipal(), null);

        await new PassThroughAuthorizationHandler().HandleAsync(context);

        Assert.False(context.HasSucceeded);
    }
}
