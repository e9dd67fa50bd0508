using System.Net.Http.Headers;
using BotStateCluster.Client.Http;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Timeout;

// In the namespace a host's Program.cs already imports, so that AddBotStateHttpClient needs no using.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="BotStateHttpClient"/>, the typed HTTP client of BotStateCluster.</summary>
public static class BotStateHttpClientExtensions
{
    /// <summary>
    /// Adds <see cref="BotStateHttpClient"/> with its options (validated at start-up), and a resilience pipeline: a total
    /// timeout around retries (honouring <c>Retry-After</c>, for safe calls only) around a per-attempt timeout.
    /// </summary>
    /// <returns>The client's builder, to add handlers of your own.</returns>
    public static IHttpClientBuilder AddBotStateHttpClient(this IServiceCollection services, Action<BotStateHttpClientOptions> configure)
    {
        services.AddOptions<BotStateHttpClientOptions>().Configure(configure).ValidateOnStart();
        services.AddSingleton<IValidateOptions<BotStateHttpClientOptions>, BotStateHttpClientOptionsValidator>();

        var builder = services.AddHttpClient<BotStateHttpClient>((provider, http) =>
        {
            var options = provider.GetRequiredService<IOptions<BotStateHttpClientOptions>>().Value;
            http.BaseAddress = options.BaseAddress;
            // The pipeline's timeouts rule; HttpClient's own 100 s would cut them short or outlast them.
            http.Timeout = Timeout.InfiniteTimeSpan;
            if (options.ApiKey is { } key)
            {
                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
            }
        });

        builder.AddResilienceHandler("botstate", (pipeline, context) =>
        {
            var options = context.ServiceProvider.GetRequiredService<IOptions<BotStateHttpClientOptions>>().Value;
            // A long poll (GetChangesAsync's wait) may be held that long on purpose: it is added to both timeouts.
            var total = new TimeoutStrategyOptions { TimeoutGenerator = arguments => ValueTask.FromResult(RetryRules.TimeoutFor(arguments.Context, options.TotalTimeout)) };
            var attempt = new TimeoutStrategyOptions { TimeoutGenerator = arguments => ValueTask.FromResult(RetryRules.TimeoutFor(arguments.Context, options.AttemptTimeout)) };
            pipeline.AddTimeout(total);
            if (options.MaxRetryAttempts == 0)
            {
                pipeline.AddTimeout(attempt);
                return;
            }

            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetryAttempts,
                Delay = options.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldRetryAfterHeader = true,
                ShouldHandle = arguments => ValueTask.FromResult(RetryRules.ShouldRetry(arguments.Outcome, arguments.Context)),
            });
            pipeline.AddTimeout(attempt);
        });
        return builder;
    }
}
