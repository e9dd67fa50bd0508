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
            .WithTags("Changes");
        var reads = group.MapGroup("").RequireScope(ApiScopes.Read, options);
        reads.MapGet("", GetChanges).WithName(nameof(GetChanges))
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .WithSummary("The tenant's changes after a cursor, oldest first; waits up to wait= seconds for one when there is none");
        reads.MapGet("/stream", GetChangeStream).WithName(nameof(GetChangeStream))
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .WithSummary("The tenant's changes as Server-Sent Events, from Last-Event-ID or cursor")
            .WithDescription(
                "Each event is sent as 'id: <cursor>' and 'data: <ChangeEventBody JSON on one line>', then a blank line; a "
                + "comment line (': nothing new') comes after 15 s without events. The stream runs until the client disconnects "
                + "or the server shuts down; reconnect with Last-Event-ID set to the last id received (EventSource does) to go "
                + "on without a gap or a repeat.");
        reads.MapGet("/failed-deliveries", GetFailedDeliveries).WithName(nameof(GetFailedDeliveries))
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .WithSummary("The tenant's webhook deliveries that failed after their last try, oldest event first");
        group.MapGroup("").RequireScope(ApiScopes.Write, options)
            .MapPost("/failed-deliveries/retry", RetryFailedDeliveries).WithName(nameof(RetryFailedDeliveries))
            .WithSummary("Send failed webhook deliveries again: those named by ids, or all");
        return group;
    }

    public static async Task<Results<ChangePageOk, ProblemHttpResult>> GetChanges(
        [AsParameters] ChangesRequest request, Caller caller, IGrainFactory grains, ClusterRetry retry, TimeProvider clock, IHostApplicationLifetime lifetime, CancellationToken cancellationToken)
    {
        if (request.Problem() is { } problem)
        {
            return ApiProblems.Problem(ProblemKinds.InvalidQuery, problem);
        }

        var events = await ChangeReads.NextAsync(grains, retry, caller.Tenant, request.After, request.PageSize, request.WaitTime, clock, lifetime.ApplicationStopping, cancellationToken);
        return new ChangePageOk(events, events.Count > 0 ? events[^1].Cursor : request.After);
    }

    public static async Task<Results<ChangeStream, ProblemHttpResult>> GetChangeStream(
        [AsParameters] ChangeStreamRequest request, Caller caller, IGrainFactory grains, ClusterRetry retry, TimeProvider clock, IHostApplicationLifetime lifetime, CancellationToken cancellationToken)
    {
        if (request.Start is not { } start)
        {
            return ApiProblems.Problem(request.LastEventId is null ? ProblemKinds.InvalidQuery : ProblemKinds.InvalidHeader, request.Problem()!);
        }

        // The first read before the answer begins: a database that is down is still a plain 503.
        var first = await ChangeReads.NextAsync(grains, retry, caller.Tenant, start, 100, TimeSpan.Zero, clock, lifetime.ApplicationStopping, cancellationToken);
        return new ChangeStream(grains, retry, caller.Tenant, start, first, clock, lifetime.ApplicationStopping);
    }

    public static async Task<Results<Ok<FailedDeliveriesBody>, ProblemHttpResult>> GetFailedDeliveries(
        [AsParameters] FailedDeliveriesQuery query, Caller caller, IGrainFactory grains, ClusterRetry retry, CancellationToken cancellationToken)
    {
        if (query.PageSize is not { } limit)
        {
            return ApiProblems.Problem(ProblemKinds.InvalidQuery, $"limit must be a whole number from 1 to {ChangeFeedLimits.MaxLimit}.");
        }

        var sender = grains.GetWebhookSender(caller.Tenant);
        return TypedResults.Ok(FailedDeliveriesBody.From(await retry.OnceAsync(() => sender.ListFailedAsync(limit, cancellationToken), cancellationToken)));
    }

    public static async Task<Accepted<RetryAcceptedBody>> RetryFailedDeliveries(
        RetryInput body, Caller caller, IGrainFactory grains, ClusterRetry retry, CancellationToken cancellationToken)
    {
        // Marking is idempotent, so the retry after a lost silo is safe.
        var sender = grains.GetWebhookSender(caller.Tenant);
        return TypedResults.Accepted((string?)null, new RetryAcceptedBody(await retry.OnceAsync(() => sender.RetryFailedAsync(body.Ids, cancellationToken), cancellationToken)));
    }
}
