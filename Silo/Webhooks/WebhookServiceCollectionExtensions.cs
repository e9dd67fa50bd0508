namespace BotStateCluster.Silo.Webhooks;

/// <summary>Plugs webhook delivery into a silo.</summary>
internal static class WebhookServiceCollectionExtensions
{
    /// <summary>The webhooks in force, the HTTP client and store the senders use, and the service that wakes them.</summary>
    public static IServiceCollection AddBotStateWebhooks(this IServiceCollection services)
    {
        services.AddHttpClient(WebhookDelivery.ClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
        services.AddSingleton<WebhookDirectory>();
        services.AddSingleton<WebhookDelivery>();
        services.AddSingleton<WebhookStore>();
        services.AddHostedService<WebhookActivator>();
        return services;
    }
}
