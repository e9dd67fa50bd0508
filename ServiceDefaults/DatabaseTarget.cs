using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace BotStateCluster.ServiceDefaults;

/// <summary>
/// Where the state lives, parsed from <c>DB_URL</c>: the backend, an ADO.NET connection string, and a
/// description without the password for logs.
/// </summary>
public sealed record DatabaseTarget(DatabaseKind Kind, string ConnectionString, string Description)
{
    /// <summary>The ADO.NET invariant the Orleans providers load the driver by.</summary>
    public string Invariant => Kind == DatabaseKind.Sqlite ? "System.Data.SQLite" : "Npgsql";

    /// <summary>The SQLite file, for the embedded default; null on PostgreSQL.</summary>
    public string? SqliteFile => Kind == DatabaseKind.Sqlite ? new SqliteConnectionStringBuilder(ConnectionString).DataSource : null;

    /// <summary>The ADO.NET factory of the backend.</summary>
    public DbProviderFactory Factory => Kind == DatabaseKind.Sqlite ? SqliteFactory.Instance : NpgsqlFactory.Instance;

    /// <summary>Opens a connection to the backend.</summary>
    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = Factory.CreateConnection()!;
        connection.ConnectionString = ConnectionString;
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <inheritdoc />
    public override string ToString() => Description;
}
