using System.Net;
using Polly;
using Polly.Timeout;

namespace BotStateCluster.Client.Http;

/// <summary>
/// Which failed attempts are tried again: only requests the client marked safe to repeat (reads, a PUT of the same body,
/// DELETE, bulk erasure, a turn carrying its Idempotency-Key), and only when trying again can help: 503 and 429 (the
/// service's <c>Retry-After</c> sets the wait), no connection, or no answer within the attempt's timeout.
/// </summary>
internal static class RetryRules
{
    /// <summary>Set on a request that may be sent twice without changing the outcome.</summary>
    public static readonly HttpRequestOptionsKey<bool> SafeToRepeat = new("BotStateCluster.SafeToRepeat");

    /// <summary>How long the service may hold the answer on purpose (a long poll's wait): added to the timeouts.</summary>
    public static readonly HttpRequestOptionsKey<TimeSpan> HeldFor = new("BotStateCluster.HeldFor");

    public static HttpRequestMessage MarkHeldFor(this HttpRequestMessage request, TimeSpan wait)
    {
        request.Options.Set(HeldFor, wait);
        return request;
    }

    /// <summary>A timeout of the pipeline, lengthened by the request's <see cref="HeldFor"/>.</summary>
    public static TimeSpan TimeoutFor(ResilienceContext context, TimeSpan timeout) =>
        context.GetRequestMessage() is { } request && request.Options.TryGetValue(HeldFor, out var wait) ? timeout + wait : timeout;

    public static HttpRequestMessage MarkSafeToRepeat(this HttpRequestMessage request)
    {
        request.Options.Set(SafeToRepeat, true);
        return request;
    }

    public static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ResilienceContext context)
    {
        var request = outcome.Result?.RequestMessage ?? context.GetRequestMessage();
        if (request is null || !request.Options.TryGetValue(SafeToRepeat, out var safe) || !safe)
        {
            return false;
        }

        return outcome switch
        {
            { Exception: HttpRequestException or TimeoutRejectedException } => true,
            { Result.StatusCode: HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests } => true,
            _ => false,
        };
    }
}
