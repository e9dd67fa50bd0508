using Polly.Timeout;

namespace BotStateCluster.Client.Http;

/// <summary>
/// Which failures a reader of the change feed waits out and resumes after, from the last event it yielded, and how
/// long it waits: no connection, no answer in time, a stream cut or silent, 503 and 429; any other refusal is thrown.
/// </summary>
internal static class ChangeFeedFailures
{
    /// <summary>The longest pause between two attempts to reconnect.</summary>
    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(5);

    public static bool IsPassing(Exception exception, CancellationToken caller) => exception switch
    {
        BotStateProblemException problem => problem.Kind is ProblemKind.ServiceUnavailable or ProblemKind.RateLimited,
        OperationCanceledException => !caller.IsCancellationRequested,
        HttpRequestException or TimeoutException or TimeoutRejectedException or IOException => true,
        _ => false,
    };

    /// <summary>The service's Retry-After when it gave one, else <paramref name="first"/> doubled per failure in a row.</summary>
    public static TimeSpan PauseAfter(Exception? exception, int failuresInARow, TimeSpan first)
    {
        if (exception is BotStateProblemException { RetryAfter: { } advice })
        {
            return advice < LongestPause ? advice : LongestPause;
        }

        var backoff = first * Math.Pow(2, Math.Min(failuresInARow, 8));
        return backoff < LongestPause ? backoff : LongestPause;
    }
}
