using BotStateCluster.ServiceDefaults;
using Orleans.Configuration;

namespace BotStateCluster.Silo;

/// <summary>How a silo joins its cluster: one local silo on SQLite, PostgreSQL membership otherwise.</summary>
internal static class SiloClustering
{
    // Failure detection for the database-backed cluster. The Orleans defaults take tens of seconds to
    // minutes to evict a crashed silo, and until then every call routed to it waits out its timeout.
    // These values evict a killed silo in a few seconds while staying clear of false evictions on a
    // loaded 2-core CI machine: probe timeouts adapt between half and four times ProbeTimeout, a slow
    // local silo extends them, and a connection that still carries messages suppresses votes.

    /// <summary>Initial probe timeout and period (default 5 s).</summary>
    internal static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Consecutive missed probes before a silo votes (default 3). Two tolerates one lost probe.</summary>
    internal const int NumMissedProbesLimit = 2;

    /// <summary>
    /// Votes that declare a silo dead (the default). Orleans asks for at most half of the active silos, so one
    /// vote suffices in a cluster of two, and with three or more a single silo with a local problem cannot
    /// evict a healthy one on its own.
    /// </summary>
    internal const int NumVotesForDeathDeclaration = 2;

    /// <summary>
    /// How often a silo re-reads the membership table (default 60 s). Gossip already spreads changes at once;
    /// this bounds how long a missed gossip keeps a dead silo in a snapshot, at one small query per period.
    /// </summary>
    internal static readonly TimeSpan TableRefreshTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Heartbeat written to the table (default 30 s). Three missed heartbeats (30 s) make an entry stale; the
    /// heartbeat is diagnostic, death is decided by probes, so this only needs to be well above a stall.
    /// </summary>
    internal static readonly TimeSpan IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(10);

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
        silo.Configure<ClusterMembershipOptions>(options =>
        {
            options.ProbeTimeout = ProbeTimeout;
            options.NumMissedProbesLimit = NumMissedProbesLimit;
            options.NumVotesForDeathDeclaration = NumVotesForDeathDeclaration;
            options.TableRefreshTimeout = TableRefreshTimeout;
            options.IAmAliveTablePublishTimeout = IAmAliveTablePublishTimeout;
        });
        // The ports listen on the advertised address only: Orleans' ports take no authentication, so they must not
        // open on every interface of the host. In a pod the advertised address is the pod's own (POD_IP).
        return silo.ConfigureEndpoints(settings.AdvertisedAddress(clustering), settings.SiloPort, settings.GatewayPort, listenOnAnyHostAddress: false);
    }
}
