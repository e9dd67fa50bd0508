using BotStateCluster.ServiceDefaults;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace BotStateCluster.Api;

/// <summary>
/// Turns what a handler throws into problem+json: a client's bad input is a 4xx, a failing dependency
/// a fast 503 with <c>Retry-After</c>, anything else a 500 that is logged.
/// </summary>
internal sealed partial class ApiExceptionHandler(IProblemDetailsService problems, FailureLogThrottle throttle, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var (kind, detail) = ProblemKinds.Of(exception, context.RequestAborted.IsCancellationRequested);
        var status = kind.Status;
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
        else if (kind == ProblemKinds.Internal)
        {
            // An integrity error is not logged here: the silo logged it once when it found it, not once per request.
            LogUnexpected(exception);
        }

        context.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = status, Type = kind.Type, Title = kind.Title, Detail = detail },
        });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Answering 503: {Reason} ({Suppressed} more since the last such line)")]
    private partial void LogUnavailable(string reason, int suppressed);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error in a request")]
    private partial void LogUnexpected(Exception exception);
}
