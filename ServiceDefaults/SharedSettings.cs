using BotStateCluster.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace BotStateCluster.ServiceDefaults;

/// <summary>The validated settings every process builds its wiring from: the hosts and any .NET client.</summary>
public sealed record SharedSettings(DatabaseTarget Database, ClusterSettings Cluster, ObservabilityOptions Observability)
{
    /// <summary>The membership mode in force.</summary>
    public string Clustering => Cluster.ClusteringFor(Database.Kind);

    /// <summary>What an Orleans client of this cluster (the gateway, the importer) connects with.</summary>
    public BotStateClientOptions ClientOptions => new()
    {
        ServiceId = Cluster.ServiceId,
        ClusterId = Cluster.ClusterId,
        Clustering = Clustering,
        GatewayPort = Cluster.GatewayPort,
        ConnectionString = Clustering == ClusterSettings.AdoNet ? Database.ConnectionString : null,
        PropagateTraces = Observability.TracingEnabled,
    };

    /// <summary>Reads and validates the settings from configuration (the environment), as the hosts do.</summary>
    /// <exception cref="OptionsValidationException">A value is wrong; the failures name the variables.</exception>
    /// <exception cref="ConfigurationError">The combination cannot run.</exception>
    public static SharedSettings Load(IConfiguration configuration) => new SharedSettings(
        Bind<DatabaseOptions, DatabaseOptionsValidator>(configuration).Target,
        Bind<ClusterSettings, ClusterSettingsValidator>(configuration),
        Bind<ObservabilityOptions, ObservabilityOptionsValidator>(configuration)).Validate();

    /// <summary>Checks what no single setting can: the combinations.</summary>
    /// <exception cref="ConfigurationError">The combination cannot run.</exception>
    public SharedSettings Validate() =>
        Clustering == ClusterSettings.AdoNet && Database.Kind == DatabaseKind.Sqlite
            ? throw new ConfigurationError("CLUSTERING=adonet needs a PostgreSQL DB_URL; on SQLite one local silo runs with CLUSTERING=localhost.")
            : this;

    /// <summary>Binds <typeparamref name="TOptions"/> from configuration and validates it now.</summary>
    /// <exception cref="OptionsValidationException">A value is wrong; the failures name the variables.</exception>
    internal static TOptions Bind<TOptions, TValidator>(IConfiguration configuration)
        where TOptions : class, new()
        where TValidator : IValidateOptions<TOptions>, new()
    {
        var value = new TOptions();
        configuration.Bind(value);
        var result = new TValidator().Validate(Options.DefaultName, value);
        return result.Failed ? throw new OptionsValidationException(typeof(TOptions).Name, typeof(TOptions), result.Failures) : value;
    }
}
