using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Serialization;

namespace BotStateCluster.ServiceDefaults;

/// <summary>
/// How any Orleans client of the service (the gateway, the importer, another .NET service) finds the
/// silos: the same settings and clustering the silos use.
/// </summary>
public static class ClusterClientDefaults
{
    /// <summary>
    /// How long one grain call may take before it fails: well under the Orleans default of 30 s, so a
    /// caller hears of a lost silo in seconds; a turn is never acknowledged unless it completed.
    /// </summary>
    public static readonly TimeSpan GrainCallTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How often a client refreshes its gateway list (Orleans default 1 min): a silo that joined or came back
    /// takes requests, and one declared dead stops being tried, within seconds. With PostgreSQL membership
    /// it is one small query per period.
    /// </summary>
    public static readonly TimeSpan GatewayListRefreshPeriod = TimeSpan.FromSeconds(5);

    /// <summary>Configures identity, clustering, serialization and call timeouts of a client.</summary>
    public static IClientBuilder UseBotStateCluster(this IClientBuilder client, SharedSettings settings)
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

        client.Configure<GatewayOptions>(options => options.GatewayListRefreshPeriod = GatewayListRefreshPeriod);

        client.Configure<ClientMessagingOptions>(options => options.ResponseTimeout = GrainCallTimeout);
        client.Services.AddSerializer(serializer => serializer.AddBotStateSerialization());
        return client;
    }
}
