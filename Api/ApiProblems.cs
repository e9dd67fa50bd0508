using Microsoft.AspNetCore.Http.HttpResults;

namespace BotStateCluster.Api;

/// <summary>
/// One kind of error the API answers, with the stable RFC 9457 <c>type</c> clients can switch on and
/// the detail it gets when whoever answered (routing, the framework) gave none.
/// </summary>
internal sealed record ProblemKind(string Type, int Status, string Title, string DefaultDetail);

/// <summary>A client error found before or while binding a request; the exception handler answers it as its kind.</summary>
internal sealed class ApiProblemException(ProblemKind kind, string detail) : Exception(detail)
{
    public ProblemKind Kind => kind;
}

/// <summary>
/// The kinds of error the API answers, and the one mapping from a failure to its kind. Each <c>type</c> URI is part
/// of the contract; never change one.
/// </summary>
internal static class ProblemKinds
{
    public const string TypePrefix = "urn:botstate:problem:";

    public static readonly ProblemKind InvalidPath = Kind("invalid-path", StatusCodes.Status400BadRequest, "Invalid path", "The request target cannot be read as one unambiguous path.");
    public static readonly ProblemKind InvalidUserId = Kind("invalid-user-id", StatusCodes.Status400BadRequest, "Invalid user id", "The user id is not valid.");
    public static readonly ProblemKind InvalidBody = Kind("invalid-body", StatusCodes.Status400BadRequest, "Invalid body", "The body does not follow the JSON contract.");
    public static readonly ProblemKind InvalidHeader = Kind("invalid-header", StatusCodes.Status400BadRequest, "Invalid header", "A request header is not valid.");
    public static readonly ProblemKind InvalidQuery = Kind("invalid-query", StatusCodes.Status400BadRequest, "Invalid query", "A query parameter is not valid.");
    public static readonly ProblemKind Unauthorized = Kind("unauthorized", StatusCodes.Status401Unauthorized, "API key required", "Send a valid API key as 'Authorization: Bearer <key>' or 'X-API-Key: <key>'.");
    public static readonly ProblemKind Forbidden = Kind("forbidden", StatusCodes.Status403Forbidden, "Forbidden", "The API key does not have the scope this operation needs.");
    public static readonly ProblemKind NotFound = Kind("not-found", StatusCodes.Status404NotFound, "Not found", "Nothing is served at this path.");
    public static readonly ProblemKind AlreadyExists = Kind("already-exists", StatusCodes.Status409Conflict, "Already exists", "The conversation to start already has a state.");
    public static readonly ProblemKind PreconditionFailed = Kind("precondition-failed", StatusCodes.Status412PreconditionFailed, "Precondition failed", "The request's precondition does not hold.");
    public static readonly ProblemKind BodyTooLarge = Kind("body-too-large", StatusCodes.Status413PayloadTooLarge, "Body too large", "The request body is larger than MAX_BODY_BYTES allows.");
    public static readonly ProblemKind UnsupportedMediaType = Kind("unsupported-media-type", StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", "The body must be JSON: Content-Type application/json or application/*+json.");
    public static readonly ProblemKind IdempotencyKeyReused = Kind("idempotency-key-reused", StatusCodes.Status422UnprocessableEntity, "Idempotency key reused", "This Idempotency-Key was already used for a different message.");
    public static readonly ProblemKind RateLimited = Kind("rate-limited", StatusCodes.Status429TooManyRequests, "Rate limited", "This API key sent more requests than its rate limit allows; retry after Retry-After seconds.");
    public static readonly ProblemKind ClientClosedRequest = Kind("client-closed-request", StatusCodes.Status499ClientClosedRequest, "Client closed the request", "The client went away before the answer.");
    public static readonly ProblemKind ServiceUnavailable = Kind("service-unavailable", StatusCodes.Status503ServiceUnavailable, "Service unavailable", "The cluster or its database did not complete the request; nothing was acknowledged. Retry shortly.");
    public static readonly ProblemKind IntegrityError = Kind("integrity-error", StatusCodes.Status500InternalServerError, "Integrity error", "The conversation's stored data failed its integrity check; nothing of it is served.");
    public static readonly ProblemKind Internal = Kind("internal-error", StatusCodes.Status500InternalServerError, "Internal error", "The request failed unexpectedly; it has been logged.");

    /// <summary>Every kind, for the OpenAPI document and the tests; of two kinds with one status, the first is what the bare status stands for.</summary>
    public static IReadOnlyList<ProblemKind> All { get; } =
        [InvalidPath, InvalidUserId, InvalidBody, InvalidHeader, InvalidQuery, Unauthorized, Forbidden, NotFound, AlreadyExists, PreconditionFailed, BodyTooLarge,
         UnsupportedMediaType, IdempotencyKeyReused, RateLimited, ClientClosedRequest, ServiceUnavailable, Internal, IntegrityError];

    /// <summary>
    /// What a failure is, and what the client is told: the client's bad input a 4xx, a failing dependency a 503, the
    /// client gone a 499, anything else a 500. The one place that maps exceptions to answers.
    /// </summary>
    public static (ProblemKind Kind, string Detail) Of(Exception exception, bool clientGone) => exception switch
    {
        ApiProblemException problem => (problem.Kind, problem.Message),
        StateFormatException format => (InvalidBody, format.Message),
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => (BodyTooLarge, BodyTooLarge.DefaultDetail),
        BadHttpRequestException { StatusCode: StatusCodes.Status415UnsupportedMediaType } bad => (UnsupportedMediaType, bad.Message),
        BadHttpRequestException bad when ByStatus(bad.StatusCode) is { } kind => (kind, bad.Message),
        BadHttpRequestException bad => (InvalidBody, bad.Message),
        // Stored data that failed its check (encryption at rest): refused whoever asks, and the silo logged it.
        IntegrityException integrity => (IntegrityError, integrity.Message),
        _ when clientGone => (ClientClosedRequest, ClientClosedRequest.DefaultDetail),
        _ when Api.ServiceUnavailable.IsCause(exception) => (ServiceUnavailable, Api.ServiceUnavailable.Detail(exception)),
        _ => (Internal, Internal.DefaultDetail),
    };

    /// <summary>The kind a status stands for, where only one does; 400 has several and needs the failure itself.</summary>
    public static ProblemKind? ByStatus(int? status) =>
        status == StatusCodes.Status400BadRequest ? null : All.FirstOrDefault(kind => kind.Status == status);

    private static ProblemKind Kind(string name, int status, string title, string defaultDetail) => new(TypePrefix + name, status, title, defaultDetail);
}

/// <summary>The API's RFC 9457 answers, each with the <c>type</c> of its kind, a title a client can show and a detail that says why.</summary>
internal static class ApiProblems
{
    public static ProblemHttpResult Problem(ProblemKind kind, string detail) =>
        TypedResults.Problem(detail, statusCode: kind.Status, title: kind.Title, type: kind.Type);

    public static ProblemHttpResult NotFound(string userId) =>
        Problem(ProblemKinds.NotFound, $"No state is stored for user '{userId}'.");

    public static ProblemHttpResult VersionNotKept(string userId, int version, int? oldestKept) =>
        Problem(
            ProblemKinds.NotFound,
            oldestKept is { } oldest
                ? $"Version {version} of user '{userId}' is not kept; the oldest kept is version {oldest}."
                : $"No snapshot of user '{userId}' is kept, so neither is version {version}.");

    public static ProblemHttpResult AlreadyExists(string userId) =>
        Problem(ProblemKinds.AlreadyExists, $"User '{userId}' already has a state; a fork starts a new conversation only.");

    public static ProblemHttpResult PreconditionFailed(int? currentVersion) =>
        Problem(
            ProblemKinds.PreconditionFailed,
            currentVersion is { } version
                ? $"The state is at version {version}; the request's precondition does not hold."
                : "No state exists; the request's precondition does not hold.");

    public static ProblemHttpResult IdempotencyKeyReused() =>
        Problem(ProblemKinds.IdempotencyKeyReused, "This Idempotency-Key was already used for a different message; use a new key for a new turn.");

    /// <summary>
    /// Gives every problem the API writes (handlers, the exception handler, authentication, the rate limiter, routing,
    /// status-code pages) the <c>type</c> and title of its kind and a detail, so no answer carries the framework's
    /// generic RFC link or comes without a reason.
    /// </summary>
    public static void Customize(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (problem.Type?.StartsWith(ProblemKinds.TypePrefix, StringComparison.Ordinal) == true)
        {
            return;
        }

        var kind = context.Exception is { } exception
            ? ProblemKinds.Of(exception, context.HttpContext.RequestAborted.IsCancellationRequested).Kind
            : ProblemKinds.ByStatus(problem.Status);
        if (kind is not null)
        {
            problem.Type = kind.Type;
            problem.Title = kind.Title;
            problem.Detail ??= kind.DefaultDetail;
        }
    }
}

/// <summary>The answers every <c>/v1</c> operation can give whatever it does.</summary>
internal static class SecuredApiResponses
{
    /// <summary>
    /// 401 without a valid key, 403 without the scope, 429 over the key's rate limit, 503 when a dependency failed. The
    /// document lists them whether or not this deployment has keys, so that it is the same everywhere.
    /// </summary>
    public static RouteGroupBuilder ProducesSecuredApi(this RouteGroupBuilder group) => group
        .ProducesProblem(StatusCodes.Status401Unauthorized)
        .ProducesProblem(StatusCodes.Status403Forbidden)
        .ProducesProblem(StatusCodes.Status429TooManyRequests)
        .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
}
