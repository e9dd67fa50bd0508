using System.Globalization;
using BotStateCluster.Api.Keys;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BotStateCluster.Api;

/// <summary>
/// Time travel (DESIGN section 13): one kept snapshot, restoring it as a new version, and forking a conversation into a
/// new one of the same tenant. Each change is a write of its own, with its event in the change feed.
/// </summary>
internal static class TimeTravelApi
{
    public static RouteGroupBuilder MapTimeTravelApi(this IEndpointRouteBuilder app, ApiOptions options)
    {
        var group = app.MapGroup($"/v1/states/{{{RoutedUserId.RouteParameter}}}")
            .ProducesSecuredApi()
            .WithTags("Time travel");

        group.MapGroup("").RequireScope(ApiScopes.Read, options)
            .MapGet("/history/{version}", GetSnapshot).WithName(nameof(GetSnapshot)).WithSummary("The snapshot of one version")
            .ProducesProblem(StatusCodes.Status404NotFound);

        var writes = group.MapGroup("").RequireScope(ApiScopes.Write, options);
        writes.MapPost("/restore", RestoreState).WithName(nameof(RestoreState)).WithSummary("Make a snapshot the current state again, as a new version")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status412PreconditionFailed);
        writes.MapPost("/fork", ForkState).WithName(nameof(ForkState)).WithSummary("Start a new conversation from a snapshot or the current state")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status412PreconditionFailed);
        return group;
    }

    public static async Task<Results<Ok<HistoryItemBody>, ProblemHttpResult>> GetSnapshot(
        RoutedUserId userId, string version, Caller caller, IGrainFactory grains, ClusterRetry retry, CancellationToken cancellationToken)
    {
        if (!int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var wanted) || wanted < 1)
        {
            return ApiProblems.Problem(ProblemKinds.InvalidPath, "The version in the path must be a whole number from 1, as an ETag or the history names it.");
        }

        var grain = grains.GetStateGrain(caller.Tenant, userId.Value);
        var lookup = await retry.OnceAsync(() => grain.GetVersionAsync(wanted, cancellationToken), cancellationToken);
        return lookup.Snapshot is { } snapshot
            ? TypedResults.Ok(HistoryItemBody.From(snapshot))
            : ApiProblems.VersionNotKept(userId.Value.Value, wanted, lookup.OldestKeptVersion);
    }

    public static async Task<Results<StateOk, ProblemHttpResult>> RestoreState(
        RoutedUserId userId, Caller caller, [AsParameters] IfMatchConditions conditions, RestoreInput body, HttpResponse response, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var result = await grains.GetStateGrain(caller.Tenant, userId.Value).RestoreAsync(body.Version, conditions.Condition, cancellationToken);
        switch (result)
        {
            case { Status: WriteStatus.Updated, Current: { } restored }:
                EntityTags.Set(response, restored.Version);
                return new StateOk(restored);
            case { Status: WriteStatus.NotFound }:
                return ApiProblems.NotFound(userId.Value.Value);
            case { Status: WriteStatus.VersionNotKept }:
                return ApiProblems.VersionNotKept(userId.Value.Value, body.Version, result.OldestKeptVersion);
            default:
                return ApiProblems.PreconditionFailed(result.Current?.Version);
        }
    }

    public static async Task<Results<StateCreated, ProblemHttpResult>> ForkState(
        RoutedUserId userId, Caller caller, [AsParameters] IfMatchConditions conditions, ForkInput body, HttpResponse response, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var source = new ConversationKey(caller.Tenant, userId.Value);
        var result = await grains.ForkAsync(source, body.To, body.Version, conditions.Condition, cancellationToken);
        switch (result)
        {
            case { Status: WriteStatus.Created, Current: { } created }:
                EntityTags.Set(response, created.Version);
                return new StateCreated(created, $"/v1/states/{Uri.EscapeDataString(body.To.Value)}");
            case { Status: WriteStatus.NotFound }:
                return ApiProblems.NotFound(userId.Value.Value);
            case { Status: WriteStatus.VersionNotKept }:
                return ApiProblems.VersionNotKept(userId.Value.Value, body.Version ?? 0, result.OldestKeptVersion);
            case { Status: WriteStatus.AlreadyExists }:
                return ApiProblems.AlreadyExists(body.To.Value);
            default:
                return ApiProblems.PreconditionFailed(result.Current?.Version);
        }
    }
}
