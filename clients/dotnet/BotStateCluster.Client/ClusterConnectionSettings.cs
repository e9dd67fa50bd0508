using Microsoft.Extensions.Configuration;

namespace BotStateCluster.Client;

/// <summary>
/// Which cluster to join and how to find it (environment: <c>ORLEANS_SERVICE_ID</c>, <c>ORLEANS_CLUSTER_ID</c>,
/// <c>CLUSTERING</c>, <c>GATEWAY_PORT</c>): what a client shares with the silos. The silo's own settings extend it.
/// </summary>
public class ClusterConnectionSettings
{
    /// <summary>Membership in the process: one silo on this machine, clients on loopback.</summary>
    public const string Localhost = "localhost";

    /// <summary>Membership in the database's ADO.NET clustering tables (PostgreSQL).</summary>
    public const string AdoNet = "adonet";

    /// <summary>The service, stable across deployments; keys the stored state.</summary>
    [ConfigurationKeyName("ORLEANS_SERVICE_ID")]
    public string ServiceId { get; set; } = "botstate";

    /// <summary>The cluster (one deployment of the service).</summary>
    [ConfigurationKeyName("ORLEANS_CLUSTER_ID")]
    public string ClusterId { get; set; } = "dev";

    /// <summary><c>localhost</c> or <c>adonet</c>; blank chooses by database.</summary>
    [ConfigurationKeyName("CLUSTERING")]
    public string? Clustering { get; set; }

    /// <summary>Port clients connect to.</summary>
    [ConfigurationKeyName("GATEWAY_PORT")]
    public int GatewayPort { get; set; } = 30000;

    /// <summary>The membership mode in force: as set, else ADO.NET on PostgreSQL and localhost otherwise.</summary>
    public string ClusteringFor(bool postgreSql) =>
        string.IsNullOrWhiteSpace(Clustering)
            ? postgreSql ? AdoNet : Localhost
            : Clustering.Trim().ToLowerInvariant();

    /// <summary>What is wrong with these settings, one line per variable; empty when they are sound.</summary>
    public virtual IEnumerable<string> Problems()
    {
        if (string.IsNullOrWhiteSpace(ServiceId))
        {
            yield return "ORLEANS_SERVICE_ID must not be empty.";
        }

        if (string.IsNullOrWhiteSpace(ClusterId))
        {
            yield return "ORLEANS_CLUSTER_ID must not be empty.";
        }

        if (GatewayPort is < 1 or > 65535)
        {
            yield return $"GATEWAY_PORT must be a TCP port (1-65535), not {GatewayPort}.";
        }

        if (!string.IsNullOrWhiteSpace(Clustering) && Clustering.Trim().ToLowerInvariant() is not (Localhost or AdoNet))
        {
            yield return $"CLUSTERING must be '{Localhost}' or '{AdoNet}', not '{Clustering}'.";
        }
    }
}
