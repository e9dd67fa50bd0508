using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BotStateCluster.Gateway.Api;

/// <summary>The v1 HTTP API over the state grains: one conversation per <c>{userId}</c>.</summary>
internal static class StatesApi
{
    private const int DefaultHistoryLimit = 20;
    private const int MaxHistoryLimit = 100;

    public static RouteGroupBuilder MapStatesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/states/{userId}")
            .AddEndpointFilter<ApiKeyFilter>()
            .AddEndpointFilter<UserIdFilter>()
            .WithTags("States");

        group.MapGet("", GetState).WithName(nameof(GetState)).WithSummary("The current state");
        group.MapPut("", PutState).WithName(nameof(PutState)).WithSummary("Replace the state (from_dict rules)");
        group.MapDelete("", DeleteState).WithName(nameof(DeleteState)).WithSummary("Forget the conversation, state and history");
        group.MapPost("/messages", PostMessage).WithName(nameof(PostMessage)).WithSummary("One turn: apply a user message");
        group.MapGet("/history", GetHistory).WithName(nameof(GetHistory)).WithSummary("Saved snapshots, newest first");
        group.MapGet("/active-intent", GetActiveIntent).WithName(nameof(GetActiveIntent)).WithSummary("The id of the active intent");
        return group;
    }

    public static async Task<Results<Ok<JsonObject>, StatusCodeHttpResult, ProblemHttpResult>> GetState(
        HttpContext http, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var userId = UserIdFilter.UserId(http);
        var grain = grains.GetStateGrain(userId);
        if (await ClusterRetry.OnceAsync(() => grain.GetAsync(cancellationToken), cancellationToken) is not { } current)
        {
            return ApiProblems.NotFound(userId);
        }

        if (EntityTags.NotModified(http.Request, current.Version))
        {
            EntityTags.Set(http.Response, current.Version);
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        return TypedResults.Ok(StateResponses.State(http.Response, current));
    }

    public static async Task<Results<Created<JsonObject>, Ok<JsonObject>, ProblemHttpResult>> PutState(
        HttpContext http, IGrainFactory grains, TimeProvider clock, CancellationToken cancellationToken)
    {
        var userId = UserIdFilter.UserId(http);
        var condition = EntityTags.Condition(http.Request, allowCreateOnly: true);
        var state = StateJson.FromJson(await RequestBody.ReadJsonAsync(http.Request, cancellationToken), userId, clock.GetUtcNow());
        var result = await grains.GetStateGrain(userId).ReplaceAsync(state, condition, cancellationToken);
        return result switch
        {
            { Status: WriteStatus.Created, Current: { } created } =>
                TypedResults.Created($"/v1/states/{Uri.EscapeDataString(userId)}", StateResponses.State(http.Response, created)),
            { Status: WriteStatus.Updated, Current: { } updated } => TypedResults.Ok(StateResponses.State(http.Response, updated)),
            _ => ApiProblems.PreconditionFailed(result.Current?.Version),
        };
    }

    public static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> PostMessage(
        HttpContext http, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var userId = UserIdFilter.UserId(http);
        var condition = EntityTags.Condition(http.Request, allowCreateOnly: false);
        // A turn without the client's key gets one of ours, so that the gateway's own retry stays exactly-once.
        var idempotencyKey = MessageRequest.IdempotencyKey(http.Request) ?? $"gateway:{Guid.NewGuid():N}";
        var message = MessageRequest.Parse(await RequestBody.ReadJsonAsync(http.Request, cancellationToken));
        var grain = grains.GetStateGrain(userId);
        var result = await ClusterRetry.OnceAsync(() => grain.ProcessMessageAsync(message, condition, idempotencyKey, cancellationToken), cancellationToken);
        switch (result)
        {
            case { Status: WriteStatus.Created or WriteStatus.Updated, Current: { } current }:
                if (result.Replayed)
                {
                    http.Response.Headers["Idempotent-Replayed"] = "true";
                }

                return TypedResults.Ok(StateResponses.State(http.Response, current));
            case { Status: WriteStatus.IdempotencyKeyReused }:
                return ApiProblems.IdempotencyKeyReused();
            default:
                return ApiProblems.PreconditionFailed(result.Current?.Version);
        }
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteState(
        HttpContext http, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var userId = UserIdFilter.UserId(http);
        var result = await grains.GetStateGrain(userId).DeleteAsync(EntityTags.Condition(http.Request, allowCreateOnly: false), cancellationToken);
        return result.Status == WriteStatus.PreconditionFailed
            ? ApiProblems.PreconditionFailed(result.Current?.Version)
            : TypedResults.NoContent();
    }

    public static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> GetHistory(
        HttpContext http, IGrainFactory grains, string? limit, string? before, CancellationToken cancellationToken)
    {
        var userId = UserIdFilter.UserId(http);
        if (!TryParse(limit, DefaultHistoryLimit, 1, MaxHistoryLimit, out var pageSize))
        {
            return ApiProblems.BadRequest("Invalid limit", $"limit must be a whole number from 1 to {MaxHistoryLimit}.");
        }

        if (!TryParse(before, 0, 1, int.MaxValue, out var beforeVersion))
        {
            return ApiProblems.BadRequest("Invalid before", "before must be a version number (a whole number from 1), as next_before gives it.");
        }

        var grain = grains.GetStateGrain(userId);
        var page = await ClusterRetry.OnceAsync(() => grain.GetHistoryAsync(pageSize, before is null ? null : beforeVersion, cancellationToken), cancellationToken);
        return TypedResults.Ok(StateResponses.History(page));
    }

    public static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> GetActiveIntent(
        HttpContext http, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var userId = UserIdFilter.UserId(http);
        var grain = grains.GetStateGrain(userId);
        return await ClusterRetry.OnceAsync(() => grain.GetActiveIntentAsync(cancellationToken), cancellationToken) is { } intent
            ? TypedResults.Ok(StateResponses.ActiveIntent(intent))
            : ApiProblems.NotFound(userId);
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
