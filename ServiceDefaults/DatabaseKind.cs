namespace BotStateCluster.ServiceDefaults;

/// <summary>The storage backends the service runs on.</summary>
public enum DatabaseKind
{
    /// <summary>An SQLite file: the embedded default, one silo.</summary>
    Sqlite,

    /// <summary>PostgreSQL: production, several silos.</summary>
    PostgreSql,
}
