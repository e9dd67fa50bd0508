using BotStateCluster.ServiceDefaults;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace BotStateCluster.Gateway.Api;

/// <summary>
/// Turns what a handler throws into problem+json: a client's bad input is a 4xx, a failing dependency
/// a fast 503 with <c>Retry-After</c>, anything else a 500 that is logged.
/// </summary>
internal sealed partial class ApiExceptionHandler(IProblemDetailsService problems, FailureLogThrottle throttle, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail) = exception switch
        {
            ApiProblemException problem => (problem.Kind.Status, problem.Kind.Title, problem.Message),
            StateFormatException format => (StatusCodes.Status400BadRequest, "Invalid state", format.Message),
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => (StatusCodes.Status413PayloadTooLarge, "Body too large", "The request body is larger than MAX_BODY_BYTES allows."),
            BadHttpRequestException bad => (bad.StatusCode, "Bad request", bad.Message),
            _ when context.RequestAborted.IsCancellationRequested => (StatusCodes.Status499ClientClosedRequest, "Client closed the request", "The client went away."),
            _ when ServiceUnavailable.IsCause(exception) => (StatusCodes.Status503ServiceUnavailable, "Service unavailable", ServiceUnavailable.Detail(exception)),
            _ => (StatusCodes.Status500InternalServerError, "Internal error", "The request failed unexpectedly; it has been logged."),
        };

        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            // One line per distinct failure and interval: an outage under load is not a log line per request.
            var reason = ServiceUnavailable.Describe(exception);
            if (throttle.ShouldLog(reason, out var suppressed))
            {
                LogUnavailable(reason, suppressed);
            }

            context.Response.Headers.RetryAfter = ServiceUnavailable.RetryAfter(exception).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        else if (status == StatusCodes.Status500InternalServerError)
        {
            LogUnexpected(exception);
        }

        context.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Answering 503: {Reason} ({Suppressed} more since the last such line)")]
    private partial void LogUnavailable(string reason, int suppressed);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error in a request")]
    private partial void LogUnexpected(Exception exception);
}
