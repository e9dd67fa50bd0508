using System.Net;

namespace BotStateCluster.Client.Http;

/// <summary>What kind of refusal a <see cref="BotStateProblemException"/> is, from the problem's stable <c>type</c>.</summary>
public enum ProblemKind
{
    /// <summary>Any other problem (<see cref="BotStateProblemException.Type"/> says which).</summary>
    Other,

    /// <summary>400, 413 or 415: the request is invalid; fix it, do not retry it.</summary>
    BadRequest,

    /// <summary>401: no valid API key.</summary>
    Unauthorized,

    /// <summary>403: the key lacks the scope the operation needs (<c>privacy</c> for export and erasure).</summary>
    Forbidden,

    /// <summary>404: nothing is stored for the user.</summary>
    NotFound,

    /// <summary>409: the conversation a fork names as its target already has a state.</summary>
    AlreadyExists,

    /// <summary>412: the state is not at the version the request named; read it again.</summary>
    PreconditionFailed,

    /// <summary>422: the Idempotency-Key was used for a different message; a new turn needs a new key.</summary>
    IdempotencyKeyReused,

    /// <summary>429: the key's rate limit; nothing was done. Wait <see cref="BotStateProblemException.RetryAfter"/>.</summary>
    RateLimited,

    /// <summary>503: the cluster or its database did not complete the request; nothing was stored.</summary>
    ServiceUnavailable,
}

/// <summary>The API refused a request with an RFC 9457 problem (after any retries).</summary>
public sealed class BotStateProblemException(ProblemKind kind, HttpStatusCode status, string? type, string? title, string? detail, TimeSpan? retryAfter)
    : Exception($"{(int)status} {title ?? status.ToString()}: {detail}")
{
    private const string TypePrefix = "urn:botstate:problem:";

    /// <summary>The kind, for a <c>switch</c>.</summary>
    public ProblemKind Kind => kind;

    /// <summary>The HTTP status.</summary>
    public HttpStatusCode Status => status;

    /// <summary>The problem's <c>type</c> URI (<c>urn:botstate:problem:…</c>), stable across versions.</summary>
    public string? Type => type;

    /// <summary>A short summary a person can read.</summary>
    public string? Title => title;

    /// <summary>Why this request was refused.</summary>
    public string? Detail => detail;

    /// <summary>The service's <c>Retry-After</c>, when it gave one (429, 503).</summary>
    public TimeSpan? RetryAfter => retryAfter;

    internal static ProblemKind KindOf(string? type, HttpStatusCode status) =>
        (type?.StartsWith(TypePrefix, StringComparison.Ordinal) == true ? type[TypePrefix.Length..] : null) switch
        {
            "unauthorized" => ProblemKind.Unauthorized,
            "forbidden" => ProblemKind.Forbidden,
            "not-found" => ProblemKind.NotFound,
            "precondition-failed" => ProblemKind.PreconditionFailed,
            "already-exists" => ProblemKind.AlreadyExists,
            "idempotency-key-reused" => ProblemKind.IdempotencyKeyReused,
            "rate-limited" => ProblemKind.RateLimited,
            "service-unavailable" => ProblemKind.ServiceUnavailable,
            _ => status switch
            {
                HttpStatusCode.Unauthorized => ProblemKind.Unauthorized,
                HttpStatusCode.Forbidden => ProblemKind.Forbidden,
                HttpStatusCode.NotFound => ProblemKind.NotFound,
                HttpStatusCode.PreconditionFailed => ProblemKind.PreconditionFailed,
                HttpStatusCode.Conflict => ProblemKind.AlreadyExists,
                HttpStatusCode.TooManyRequests => ProblemKind.RateLimited,
                HttpStatusCode.ServiceUnavailable => ProblemKind.ServiceUnavailable,
                HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge or HttpStatusCode.UnsupportedMediaType => ProblemKind.BadRequest,
                _ => ProblemKind.Other,
            },
        };
}
