namespace BotStateCluster.EndToEndTests;

/// <summary>The production shape on one machine: processes on PostgreSQL with ADO.NET clustering on loopback.</summary>
public static class PostgresCluster
{
    /// <summary>
    /// Starts <paramref name="kind"/> in <paramref name="directory"/> as a member of <paramref name="clusterId"/>, on free ports;
    /// <paramref name="settings"/> are added to its environment.
    /// </summary>
    public static ServiceProcess Launch(ServiceKind kind, string databaseUrl, string clusterId, string directory, IReadOnlyDictionary<string, string>? settings = null)
    {
        var environment = new Dictionary<string, string>
        {
            ["DB_URL"] = databaseUrl,
            ["CLUSTERING"] = "adonet",
            ["ORLEANS_CLUSTER_ID"] = clusterId,
            ["SILO_PORT"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["GATEWAY_PORT"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["ADVERTISED_IP"] = "127.0.0.1",
            ["LOG_FORMAT"] = "text",
        };
        foreach (var (name, value) in settings ?? new Dictionary<string, string>())
        {
            environment[name] = value;
        }

        return ServiceProcess.Start(kind, new Uri($"http://127.0.0.1:{FreePort.Next()}"), environment, directory);
    }
}
