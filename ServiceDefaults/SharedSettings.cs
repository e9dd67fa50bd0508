namespace BotStateCluster.ServiceDefaults;

/// <summary>The validated settings both processes build their wiring from.</summary>
public sealed record SharedSettings(DatabaseTarget Database, ClusterSettings Cluster, ObservabilityOptions Observability)
{
    /// <summary>The membership mode in force.</summary>
    public string Clustering => Cluster.ClusteringFor(Database.Kind);

    /// <summary>Checks what no single setting can: the combinations.</summary>
    /// <exception cref="ConfigurationError">The combination cannot run.</exception>
    public SharedSettings Validate() =>
        Clustering == ClusterSettings.AdoNet && Database.Kind == DatabaseKind.Sqlite
            ? throw new ConfigurationError("CLUSTERING=adonet needs a PostgreSQL DB_URL; on SQLite one local silo runs with CLUSTERING=localhost.")
            : this;
}
