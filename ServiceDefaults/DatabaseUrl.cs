using Microsoft.Data.Sqlite;
using BotStateCluster.Client;

namespace BotStateCluster.ServiceDefaults;

/// <summary>
/// Reads <c>DB_URL</c> in every form the Python service accepted (SQLAlchemy URLs) plus Npgsql
/// keyword strings.
/// </summary>
public static class DatabaseUrl
{
    /// <summary>The embedded default: an SQLite file under <c>data/</c> of the working directory.</summary>
    public const string Default = "sqlite:///data/botstate.db";

    private const string Variable = "DB_URL";
    private const int SqliteBusyTimeoutSeconds = 4;

    /// <summary>
    /// Parses <paramref name="url"/> (null or blank: the default) with a pool of <paramref name="poolSize"/>; errors name
    /// <paramref name="variable"/>, which another variable in the same forms (<c>KEY_STORE_URL</c>) gives.
    /// </summary>
    /// <exception cref="ConfigurationError">The URL cannot be used; the message never holds the password.</exception>
    public static DatabaseTarget Parse(string? url, int poolSize, string variable = Variable)
    {
        url = string.IsNullOrWhiteSpace(url) ? Default : url.Trim();
        var scheme = url.Contains("://", StringComparison.Ordinal) ? url[..url.IndexOf("://", StringComparison.Ordinal)].ToLowerInvariant() : null;
        return scheme == "sqlite" ? FromSqliteUrl(url, variable)
            : PostgresConnection.IsPostgres(url) ? FromPostgres(url, poolSize)
            : throw new ConfigurationError($"{variable} must be postgresql://user:pass@host:port/db, sqlite:///file.db or an Npgsql 'Host=…;' string; '{scheme ?? "(no scheme)"}' is not supported.");
    }

    private static DatabaseTarget FromSqliteUrl(string url, string variable)
    {
        // sqlite:///relative.db and sqlite:////absolute.db, as SQLAlchemy writes them.
        var path = url["sqlite://".Length..];
        if (!path.StartsWith('/') || path.Length < 2)
        {
            throw new ConfigurationError($"{variable} '{url}' has no file: write sqlite:///relative.db or sqlite:////absolute/path.db.");
        }

        path = Uri.UnescapeDataString(path[1..]);
        if (path.Contains(":memory:", StringComparison.OrdinalIgnoreCase) || path.Contains("mode=memory", StringComparison.OrdinalIgnoreCase))
        {
            throw new ConfigurationError($"{variable} cannot be an in-memory SQLite database: the silo and the gateway must share a file.");
        }

        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path.Split('?')[0],
            // A locked file must become a 503 within the grain-call timeout, not after 30 s.
            DefaultTimeout = SqliteBusyTimeoutSeconds,
            Pooling = true,
        };
        // The description is absolute: a relative file is under the working directory, which differs between
        // processes started in different places, and a log line must say which file this process uses.
        return new DatabaseTarget(DatabaseKind.Sqlite, builder.ConnectionString, $"sqlite file {Path.GetFullPath(builder.DataSource)}");
    }

    private static DatabaseTarget FromPostgres(string url, int poolSize)
    {
        try
        {
            var connection = PostgresConnection.Parse(url, poolSize);
            return new DatabaseTarget(DatabaseKind.PostgreSql, connection.ConnectionString, connection.Description);
        }
        catch (FormatException error)
        {
            throw new ConfigurationError(error.Message);
        }
    }
}
