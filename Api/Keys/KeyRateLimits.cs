using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace BotStateCluster.Api.Keys;

/// <summary>
/// Each key's rate limit (its <c>rate_limit</c> in <c>API_KEYS_FILE</c>): a token bucket per key, so one tenant's flood
/// is refused with 429 <c>rate-limited</c> and <c>Retry-After</c> while every other key's requests go on. A key
/// without a limit is not limited.
/// </summary>
internal static class KeyRateLimits
{
    public const string Policy = "per-key";

    private static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    public static IServiceCollection AddKeyRateLimits(this IServiceCollection services) =>
        services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(Policy, Partition);
            limiter.OnRejected = RejectAsync;
        });

    private static RateLimitPartition<string> Partition(HttpContext context) =>
        context.User is ApiKeyPrincipal { Entry: { RateLimit: { } limit } entry }
            ? RateLimitPartition.GetTokenBucketLimiter(entry.RateLimitPartition, _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = limit.Burst,
                TokensPerPeriod = limit.PerSecond,
                ReplenishmentPeriod = Period,
                QueueLimit = 0,
                AutoReplenishment = true,
            })
            : RateLimitPartition.GetNoLimiter("unlimited");

    private static ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
            ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
            : 1;
        var context = rejected.HttpContext;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var id = context.User is ApiKeyPrincipal principal ? principal.Entry.Id : "?";
        return new ValueTask(ApiProblems.Problem(
            ProblemKinds.RateLimited,
            $"The API key '{id}' sent more requests than its rate limit allows; retry after {seconds} s.").ExecuteAsync(context));
    }
}
