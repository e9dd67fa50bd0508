using System.Runtime.ExceptionServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using BotStateCluster.Api.Keys;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace BotStateCluster.Api;

/// <summary>
/// The lifecycle of conversations (DESIGN section 9): listing every conversation, exporting everything
/// stored about one user, and erasing many at once.
/// </summary>
internal static partial class ConversationsApi
{
    /// <summary>Snapshots per grain call while exporting: the gateway holds one page at a time.</summary>
    private const int ExportPageSize = 100;

    /// <summary>Erasures in flight at once for one request.</summary>
    private const int ErasureParallelism = 16;

    public static RouteGroupBuilder MapConversationsApi(this IEndpointRouteBuilder app, ApiOptions options)
    {
        var group = app.MapGroup("/v1")
            .ProducesSecuredApi()
            .WithTags("Conversations");
        group.MapGroup("").RequireScope(ApiScopes.Read, options)
            .MapGet("/states", ListStates).WithName(nameof(ListStates))
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .WithSummary("The caller's conversations, most recently updated first, keyset-paged");

        // The data-subject operations: everything about a user, and erasure in bulk.
        var privacy = group.MapGroup("").RequireScope(ApiScopes.Privacy, options);
        privacy.MapGet($"/states/{{{RoutedUserId.RouteParameter}}}/export", ExportState).WithName(nameof(ExportState))
            .Produces<ExportLine>(StatusCodes.Status200OK, ExportLines.MediaType)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Everything stored about one user, as NDJSON: the state, then its snapshots newest first");
        privacy.MapPost("/erasures", PostErasures).WithName(nameof(PostErasures))
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .WithSummary("Erase up to 1000 conversations, each as DELETE does");
        return group;
    }

    public static async Task<Results<Ok<ConversationListResponse>, ProblemHttpResult>> ListStates(
        [AsParameters] ListStatesRequest request, Caller caller, IGrainFactory grains, ClusterRetry retry, CancellationToken cancellationToken)
    {
        if (request.ToQuery(caller.Tenant) is not { } query)
        {
            return ApiProblems.Problem(ProblemKinds.InvalidQuery, request.Problem()!);
        }

        var catalog = grains.GetGrain<IConversationCatalogGrain>(0);
        var page = await retry.OnceAsync(() => catalog.ListAsync(query, cancellationToken), cancellationToken);
        return TypedResults.Ok(ConversationListResponse.From(page));
    }

    public static async Task<Results<PushStreamHttpResult, ProblemHttpResult>> ExportState(
        RoutedUserId userId, Caller caller, IGrainFactory grains, ClusterRetry retry, IOptions<JsonOptions> json, CancellationToken cancellationToken)
    {
        var grain = grains.GetStateGrain(caller.Tenant, userId.Value);
        if (await retry.OnceAsync(() => grain.GetAsync(cancellationToken), cancellationToken) is not { } current)
        {
            return ApiProblems.NotFound(userId.Value.Value);
        }

        return TypedResults.Stream(
            body => ExportLines.WriteAsync(body, grain, userId.Value.Value, current, ExportPageSize, json.Value.SerializerOptions, cancellationToken),
            ExportLines.MediaType);
    }

    public static async Task<Results<Ok<ErasureResponse>, ProblemHttpResult>> PostErasures(
        ErasureRequest? request, Caller caller, IGrainFactory grains, ClusterRetry retry, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (ErasureRequest.Problem(request) is { } problem)
        {
            return ApiProblems.Problem(ProblemKinds.InvalidBody, problem);
        }

        var ids = request!.ThreadIds!.OfType<string>().Distinct(StringComparer.Ordinal).ToArray();
        var outcomes = new ErasureOutcome[ids.Length];
        var failures = new Exception?[ids.Length];
        await Parallel.ForEachAsync(Enumerable.Range(0, ids.Length), new ParallelOptions { MaxDegreeOfParallelism = ErasureParallelism, CancellationToken = cancellationToken }, async (i, token) =>
        {
            try
            {
                // Erasing is idempotent, so the retry after a lost silo is safe.
                var grain = grains.GetStateGrain(caller.Tenant, UserId.Parse(ids[i]));
                outcomes[i] = await retry.OnceAsync(() => grain.EraseAsync(token), token) ? ErasureOutcome.Erased : ErasureOutcome.NotFound;
            }
            catch (Exception exception) when (!token.IsCancellationRequested)
            {
                outcomes[i] = ErasureOutcome.Failed;
                failures[i] = exception;
            }
        });

        if (failures.All(failure => failure is not null))
        {
            // Nothing was erased: the whole request failed, and answers as any failed request does (503 when a dependency is down).
            ExceptionDispatchInfo.Throw(failures[0]!);
        }

        var logger = loggers.CreateLogger(typeof(ConversationsApi));
        foreach (var failure in failures.OfType<Exception>().Where(failure => !ServiceUnavailable.IsCause(failure)))
        {
            LogErasureFailed(logger, failure);
        }

        return TypedResults.Ok(ErasureResponse.From(ids, outcomes, failures));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Erasing one conversation of a bulk erasure failed")]
    private static partial void LogErasureFailed(ILogger logger, Exception exception);
}
