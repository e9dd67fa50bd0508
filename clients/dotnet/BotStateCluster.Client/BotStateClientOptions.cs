using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace BotStateCluster.Client;

/// <summary>How a client reaches the cluster: explicit values, or <see cref="FromConfiguration"/> for the silos' variables.</summary>
public sealed class BotStateClientOptions
{
    /// <summary>The service, as the silos have it (<c>ORLEANS_SERVICE_ID</c>).</summary>
    public string ServiceId { get; set; } = "botstate";

    /// <summary>The cluster, as the silos have it (<c>ORLEANS_CLUSTER_ID</c>).</summary>
    public string ClusterId { get; set; } = "dev";

    /// <summary>
    /// <see cref="ClusterConnectionSettings.Localhost"/> (one silo on this machine, on <see cref="GatewayPort"/>) or
    /// <see cref="ClusterConnectionSettings.AdoNet"/> (the silos' membership table in <see cref="ConnectionString"/>).
    /// </summary>
    public string Clustering { get; set; } = ClusterConnectionSettings.Localhost;

    /// <summary>The local silo's client port, for localhost clustering (<c>GATEWAY_PORT</c>).</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>The Npgsql connection string of the membership table, for ADO.NET clustering.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// How long one grain call may take before it fails: well under the Orleans default of 30 s, so a caller
    /// hears of a lost silo in seconds; a turn is never acknowledged unless it completed.
    /// </summary>
    public TimeSpan GrainCallTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How often the client refreshes its gateway list (Orleans default 1 min): a silo that joined or came back
    /// takes requests, and one declared dead stops being tried, within seconds; with PostgreSQL membership it
    /// is one small query per period.
    /// </summary>
    public TimeSpan GatewayListRefreshPeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Continue the caller's trace (<see cref="System.Diagnostics.Activity.Current"/>) into the grain call and the
    /// silo, as Orleans' activity propagation does; the silos must propagate too. Without a listener it costs a
    /// check per call.
    /// </summary>
    public bool PropagateTraces { get; set; } = true;

    /// <summary>
    /// Reads the variables the silos read: <c>DB_URL</c>, <c>DB_POOL_SIZE</c>, <c>CLUSTERING</c>,
    /// <c>ORLEANS_SERVICE_ID</c>, <c>ORLEANS_CLUSTER_ID</c>, <c>GATEWAY_PORT</c>.
    /// </summary>
    /// <exception cref="OptionsValidationException">A value is wrong; the failures name the variables.</exception>
    public static BotStateClientOptions FromConfiguration(IConfiguration configuration)
    {
        var cluster = new ClusterConnectionSettings();
        configuration.Bind(cluster);
        var url = configuration["DB_URL"];
        var postgres = PostgresConnection.IsPostgres(url);
        var options = new BotStateClientOptions
        {
            ServiceId = cluster.ServiceId,
            ClusterId = cluster.ClusterId,
            Clustering = cluster.ClusteringFor(postgres),
            GatewayPort = cluster.GatewayPort,
        };

        var failures = cluster.Problems().ToList();
        if (postgres)
        {
            try
            {
                options.ConnectionString = PostgresConnection.Parse(url!, configuration.GetValue("DB_POOL_SIZE", 10)).ConnectionString;
            }
            catch (FormatException error)
            {
                failures.Add(error.Message);
            }
        }

        return failures.Count == 0 ? options.Validated() : throw Invalid(failures);
    }

    /// <summary>These options, checked.</summary>
    /// <exception cref="OptionsValidationException">A combination that cannot connect.</exception>
    public BotStateClientOptions Validated()
    {
        var failures = new List<string>();
        if (Clustering is not (ClusterConnectionSettings.Localhost or ClusterConnectionSettings.AdoNet))
        {
            failures.Add($"CLUSTERING must be '{ClusterConnectionSettings.Localhost}' or '{ClusterConnectionSettings.AdoNet}', not '{Clustering}'.");
        }

        if (Clustering == ClusterConnectionSettings.AdoNet && string.IsNullOrWhiteSpace(ConnectionString))
        {
            failures.Add("CLUSTERING=adonet needs the PostgreSQL DB_URL of the silos.");
        }

        if (GrainCallTimeout <= TimeSpan.Zero || GatewayListRefreshPeriod <= TimeSpan.Zero)
        {
            failures.Add("The grain-call timeout and the gateway-list refresh period must be positive.");
        }

        return failures.Count == 0 ? this : throw Invalid(failures);
    }

    private static OptionsValidationException Invalid(IEnumerable<string> failures) =>
        new(nameof(BotStateClientOptions), typeof(BotStateClientOptions), failures);
}
