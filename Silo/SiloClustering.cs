using BotStateCluster.ServiceDefaults;
using Orleans.Configuration;

namespace BotStateCluster.Silo;

/// <summary>How a silo joins its cluster: one local silo on SQLite, PostgreSQL membership otherwise.</summary>
internal static class SiloClustering
{
    public static ISiloBuilder UseBotStateClustering(this ISiloBuilder silo, ClusterSettings settings, DatabaseTarget database)
    {
        silo.Configure<ClusterOptions>(options =>
        {
            options.ServiceId = settings.ServiceId;
            options.ClusterId = settings.ClusterId;
        });

        var clustering = settings.ClusteringFor(database.Kind);
        if (clustering == ClusterSettings.Localhost)
        {
            return silo.UseLocalhostClustering(settings.SiloPort, settings.GatewayPort, serviceId: settings.ServiceId, clusterId: settings.ClusterId);
        }

        silo.UseAdoNetClustering(options =>
        {
            options.Invariant = database.Invariant;
            options.ConnectionString = database.ConnectionString;
        });
        return silo.ConfigureEndpoints(settings.AdvertisedAddress(clustering), settings.SiloPort, settings.GatewayPort, listenOnAnyHostAddress: true);
    }
}
