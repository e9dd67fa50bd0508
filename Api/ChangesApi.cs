using BotStateCluster.Api.Keys;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BotStateCluster.Api;

/// <summary>The change feed (DESIGN section 13): the caller's tenant's events, read from a cursor.</summary>
internal static class ChangesApi
{
    public static RouteGroupBuilder MapChangesApi(this IEndpointRouteBuilder app, ApiOptions options)
    {
        var group = app.MapGroup("/v1/changes")
            .ProducesSecuredApi()
            .WithTags("Changes")
            .RequireScope(ApiScopes.Read, options);
        group.MapGet("", GetChanges).WithName(nameof(GetChanges))
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .WithSummary("The tenant's changes after a cursor, oldest first; waits up to wait= seconds for one when there is none");
        return group;
    }

    public static async Task<Results<ChangePageOk, ProblemHttpResult>> GetChanges(
        [AsParameters] ChangesRequest request, Caller caller, IGrainFactory grains, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (request.Problem() is { } problem)
        {
            return ApiProblems.Problem(ProblemKinds.InvalidQuery, problem);
        }

        var events = await ChangeReads.NextAsync(grains, caller.Tenant, request.After, request.PageSize, request.WaitTime, clock, cancellationToken);
        return new ChangePageOk(events, events.Count > 0 ? events[^1].Cursor : request.After);
    }
}
