using BotStateCluster.Api;
using BotStateCluster.ServiceDefaults;

namespace BotStateCluster.Gateway.Cluster;

/// <summary>The gateway's Orleans client: the shared cluster settings, plus readiness and patience at start-up.</summary>
internal static class ClusterClientSetup
{
    public static WebApplicationBuilder AddBotStateClusterClient(this WebApplicationBuilder builder, SharedSettings settings)
    {
        builder.Services.AddSingleton<ClusterConnectionTracker>();
        builder.Services.AddSingleton<IClusterConnectionStatusObserver>(provider => provider.GetRequiredService<ClusterConnectionTracker>());
        builder.Services.AddSingleton<IClusterChangeSignal>(provider => provider.GetRequiredService<ClusterConnectionTracker>());
        builder.Services.AddHealthChecks().AddCheck<ClusterClientHealthCheck>("cluster", tags: [HealthPaths.ReadyTag]);
        builder.AddBotStateClient(settings.ClientOptions, client => client
            .UseConnectionRetryFilter<ConnectRetryFilter>()
            .AddOutgoingGrainCallFilter<GrainCallMetricsFilter>()
            .AddOutgoingGrainCallFilter<SiloLossFilter>());
        return builder;
    }
}
