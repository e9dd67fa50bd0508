using BotStateCluster.ServiceDefaults;
using Orleans.Configuration;
using Orleans.Serialization;

namespace BotStateCluster.Gateway.Cluster;

/// <summary>How the gateway's Orleans client finds the silos and how long it waits for them.</summary>
internal static class ClusterClientSetup
{
    /// <summary>
    /// How long one grain call may take before the gateway answers 503: a client retries sooner than the
    /// Orleans default of 30 s, and a turn is never acknowledged unless it completed.
    /// </summary>
    public static readonly TimeSpan GrainCallTimeout = TimeSpan.FromSeconds(10);

    public static WebApplicationBuilder AddBotStateClusterClient(this WebApplicationBuilder builder, SharedSettings settings)
    {
        builder.Services.AddSingleton<ClusterConnectionTracker>();
        builder.Services.AddSingleton<IClusterConnectionStatusObserver>(provider => provider.GetRequiredService<ClusterConnectionTracker>());
        builder.Services.AddHealthChecks().AddCheck<ClusterClientHealthCheck>("cluster", tags: [HealthPaths.ReadyTag]);
        builder.UseOrleansClient(client =>
        {
            var cluster = settings.Cluster;
            client.Configure<ClusterOptions>(options =>
            {
                options.ServiceId = cluster.ServiceId;
                options.ClusterId = cluster.ClusterId;
            });
            if (settings.Clustering == ClusterSettings.Localhost)
            {
                client.UseLocalhostClustering(cluster.GatewayPort, cluster.ServiceId, cluster.ClusterId);
            }
            else
            {
                client.UseAdoNetClustering(options =>
                {
                    options.Invariant = settings.Database.Invariant;
                    options.ConnectionString = settings.Database.ConnectionString;
                });
            }

            client.Configure<ClientMessagingOptions>(options => options.ResponseTimeout = GrainCallTimeout);
            client.UseConnectionRetryFilter<ConnectRetryFilter>();
            client.Services.AddSerializer(serializer => serializer.AddBotStateSerialization());
        });
        return builder;
    }
}
