using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.HttpResults;
using BotStateCluster.Api.Keys;
using Microsoft.AspNetCore.Mvc;

namespace BotStateCluster.Api;

/// <summary>The v1 HTTP API over the state grains: one conversation per <c>{userId}</c>.</summary>
internal static class StatesApi
{
    private const int DefaultHistoryLimit = 20;
    private const int MaxHistoryLimit = 100;

    public static RouteGroupBuilder MapStatesApi(this IEndpointRouteBuilder app, ApiOptions options)
    {
        var group = app.MapGroup($"/v1/states/{{{RoutedUserId.RouteParameter}}}")
            .ProducesSecuredApi()
            .WithTags("States");

        var reads = group.MapGroup("").RequireScope(ApiScopes.Read, options);
        reads.MapGet("", GetState).WithName(nameof(GetState)).WithSummary("The current state")
            .Produces(StatusCodes.Status304NotModified).ProducesProblem(StatusCodes.Status404NotFound);
        reads.MapGet("/history", GetHistory).WithName(nameof(GetHistory)).WithSummary("Saved snapshots, newest first");
        reads.MapGet("/active-intent", GetActiveIntent).WithName(nameof(GetActiveIntent)).WithSummary("The id of the active intent")
            .ProducesProblem(StatusCodes.Status404NotFound);

        var writes = group.MapGroup("").RequireScope(ApiScopes.Write, options);
        writes.MapPut("", PutState).WithName(nameof(PutState)).WithSummary("Replace the state (from_dict rules)")
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        writes.MapDelete("", DeleteState).WithName(nameof(DeleteState)).WithSummary("Forget the conversation, state and history")
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        writes.MapPost("/messages", PostMessage).WithName(nameof(PostMessage)).WithSummary("One turn: apply a user message")
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return group;
    }

    public static async Task<Results<StateOk, StatusCodeHttpResult, ProblemHttpResult>> GetState(
        RoutedUserId userId, Caller caller, [AsParameters] ReadConditions conditions, HttpResponse response, IGrainFactory grains, ClusterRetry retry, CancellationToken cancellationToken)
    {
        var grain = grains.GetStateGrain(caller.Tenant, userId.Value);
        if (await retry.OnceAsync(() => grain.GetAsync(cancellationToken), cancellationToken) is not { } current)
        {
            return ApiProblems.NotFound(userId.Value.Value);
        }

        EntityTags.Set(response, current.Version);
        return EntityTags.NotModified(conditions.IfNoneMatch, current.Version)
            ? TypedResults.StatusCode(StatusCodes.Status304NotModified)
            : new StateOk(current);
    }

    public static async Task<Results<StateCreated, StateOk, ProblemHttpResult>> PutState(
        RoutedUserId userId, Caller caller, [AsParameters] WriteConditions conditions, StateInput body, HttpResponse response, IGrainFactory grains, TimeProvider clock, CancellationToken cancellationToken)
    {
        var condition = conditions.Condition(allowCreateOnly: true);
        var state = StateJson.FromJson(body.Json, userId.Value.Value, clock.GetUtcNow());
        var result = await grains.GetStateGrain(caller.Tenant, userId.Value).ReplaceAsync(state, condition, cancellationToken);
        switch (result)
        {
            case { Status: WriteStatus.Created, Current: { } created }:
                EntityTags.Set(response, created.Version);
                return new StateCreated(created, $"/v1/states/{Uri.EscapeDataString(userId.Value.Value)}");
            case { Status: WriteStatus.Updated, Current: { } updated }:
                EntityTags.Set(response, updated.Version);
                return new StateOk(updated);
            default:
                return ApiProblems.PreconditionFailed(result.Current?.Version);
        }
    }

    public static async Task<Results<StateOk, ProblemHttpResult>> PostMessage(
        RoutedUserId userId, Caller caller, [AsParameters] TurnConditions conditions, MessageInput body, HttpResponse response, IGrainFactory grains, ClusterRetry retry, CancellationToken cancellationToken)
    {
        // A turn without the client's key gets one of ours, so that the gateway's own retry stays exactly-once;
        // short (64 random bits), because the grain stores its recent keys with every turn.
        var idempotencyKey = MessageRequest.IdempotencyKey(conditions.IdempotencyKey) ?? $"gw:{Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(8))}";
        var condition = conditions.Condition;
        var grain = grains.GetStateGrain(caller.Tenant, userId.Value);
        var result = await retry.OnceAsync(() => grain.ProcessMessageAsync(body.Message, condition, idempotencyKey, cancellationToken), cancellationToken);
        switch (result)
        {
            case { Status: WriteStatus.Created or WriteStatus.Updated, Current: { } current }:
                if (result.Replayed)
                {
                    response.Headers[ApiHeaders.IdempotentReplayed] = "true";
                }

                EntityTags.Set(response, current.Version);
                return new StateOk(current);
            case { Status: WriteStatus.IdempotencyKeyReused }:
                return ApiProblems.IdempotencyKeyReused();
            default:
                return ApiProblems.PreconditionFailed(result.Current?.Version);
        }
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteState(
        RoutedUserId userId, Caller caller, [AsParameters] IfMatchConditions conditions, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var result = await grains.GetStateGrain(caller.Tenant, userId.Value).DeleteAsync(conditions.Condition, cancellationToken);
        return result.Status == WriteStatus.PreconditionFailed
            ? ApiProblems.PreconditionFailed(result.Current?.Version)
            : TypedResults.NoContent();
    }

    public static async Task<Results<Ok<HistoryPageBody>, ProblemHttpResult>> GetHistory(
        RoutedUserId userId, Caller caller, [AsParameters] HistoryQuery query, IGrainFactory grains, ClusterRetry retry, CancellationToken cancellationToken)
    {
        if (!TryParse(query.Limit, DefaultHistoryLimit, 1, MaxHistoryLimit, out var pageSize))
        {
            return ApiProblems.Problem(ProblemKinds.InvalidQuery, $"limit must be a whole number from 1 to {MaxHistoryLimit}.");
        }

        if (!TryParse(query.Before, 0, 1, int.MaxValue, out var beforeVersion))
        {
            return ApiProblems.Problem(ProblemKinds.InvalidQuery, "before must be a version number (a whole number from 1), as next_before gives it.");
        }

        var grain = grains.GetStateGrain(caller.Tenant, userId.Value);
        var page = await retry.OnceAsync(() => grain.GetHistoryAsync(pageSize, query.Before is null ? null : beforeVersion, cancellationToken), cancellationToken);
        return TypedResults.Ok(HistoryPageBody.From(page));
    }

    public static async Task<Results<Ok<ActiveIntentBody>, ProblemHttpResult>> GetActiveIntent(
        RoutedUserId userId, Caller caller, IGrainFactory grains, ClusterRetry retry, CancellationToken cancellationToken)
    {
        var grain = grains.GetStateGrain(caller.Tenant, userId.Value);
        return await retry.OnceAsync(() => grain.GetActiveIntentAsync(cancellationToken), cancellationToken) is { } intent
            ? TypedResults.Ok(ActiveIntentBody.From(intent))
            : ApiProblems.NotFound(userId.Value.Value);
    }

    private static bool TryParse(string? text, int fallback, int min, int max, out int value)
    {
        if (text is null)
        {
            value = fallback;
            return true;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max;
    }
}
