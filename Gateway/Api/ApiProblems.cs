using Microsoft.AspNetCore.Http.HttpResults;

namespace BotStateCluster.Gateway.Api;

/// <summary>The API's RFC 9457 answers, each with a title a client can show and a detail that says why.</summary>
internal static class ApiProblems
{
    public static ProblemHttpResult BadRequest(string title, string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: title);

    public static ProblemHttpResult NotFound(string userId) =>
        TypedResults.Problem($"No state is stored for user '{userId}'.", statusCode: StatusCodes.Status404NotFound, title: "State not found");

    public static ProblemHttpResult PreconditionFailed(int? currentVersion) =>
        TypedResults.Problem(
            currentVersion is { } version
                ? $"The state is at version {version}; the request's precondition does not hold."
                : "No state exists; the request's precondition does not hold.",
            statusCode: StatusCodes.Status412PreconditionFailed,
            title: "Precondition failed");

    public static ProblemHttpResult IdempotencyKeyReused() =>
        TypedResults.Problem(
            "This Idempotency-Key was already used for a different message; use a new key for a new turn.",
            statusCode: StatusCodes.Status422UnprocessableEntity,
            title: "Idempotency key reused");
}
