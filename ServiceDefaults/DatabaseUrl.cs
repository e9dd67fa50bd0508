using Microsoft.Data.Sqlite;
using Npgsql;

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
    private const int ConnectTimeoutSeconds = 3;
    private const int CommandTimeoutSeconds = 4;
    private const int SqliteBusyTimeoutSeconds = 4;

    // The service runs a handful of statement texts (storage, history, membership, health) thousands of
    // times over: prepared on each connection, PostgreSQL stops parsing and planning them per call.
    private const int AutoPreparedStatements = 32;
    private const string AutoPrepareKeyword = "Max Auto Prepare";
    private const string NoResetOnCloseKeyword = "No Reset On Close";

    // libpq query options a URL may carry, and the Npgsql keyword each maps to.
    private static readonly Dictionary<string, string> PostgresQueryOptions = new(StringComparer.OrdinalIgnoreCase)
    {
        ["sslmode"] = "SSL Mode",
        ["sslrootcert"] = "Root Certificate",
        ["sslcert"] = "SSL Certificate",
        ["sslkey"] = "SSL Key",
        ["application_name"] = "Application Name",
        ["connect_timeout"] = "Timeout",
        ["target_session_attrs"] = "Target Session Attributes",
        ["options"] = "Options",
        ["search_path"] = "Search Path",
        ["max_auto_prepare"] = AutoPrepareKeyword,
        ["no_reset_on_close"] = NoResetOnCloseKeyword,
    };

    /// <summary>Parses <paramref name="url"/> (null or blank: the default) with a pool of <paramref name="poolSize"/>.</summary>
    /// <exception cref="ConfigurationError">The URL cannot be used; the message never holds the password.</exception>
    public static DatabaseTarget Parse(string? url, int poolSize)
    {
        url = string.IsNullOrWhiteSpace(url) ? Default : url.Trim();
        var scheme = url.Contains("://", StringComparison.Ordinal) ? url[..url.IndexOf("://", StringComparison.Ordinal)].ToLowerInvariant() : null;
        return scheme switch
        {
            null when url.Contains('=') => FromNpgsqlKeywords(url, poolSize),
            "sqlite" => FromSqliteUrl(url),
            "postgresql" or "postgres" => FromPostgresUrl(url, poolSize),
            not null when scheme.StartsWith("postgresql+", StringComparison.Ordinal) || scheme.StartsWith("postgres+", StringComparison.Ordinal)
                => FromPostgresUrl(url, poolSize),
            _ => throw new ConfigurationError($"{Variable} must be postgresql://user:pass@host:port/db, sqlite:///file.db or an Npgsql 'Host=…;' string; '{scheme ?? "(no scheme)"}' is not supported."),
        };
    }

    private static DatabaseTarget FromSqliteUrl(string url)
    {
        // sqlite:///relative.db and sqlite:////absolute.db, as SQLAlchemy writes them.
        var path = url["sqlite://".Length..];
        if (!path.StartsWith('/') || path.Length < 2)
        {
            throw new ConfigurationError($"{Variable} '{url}' has no file: write sqlite:///relative.db or sqlite:////absolute/path.db.");
        }

        path = Uri.UnescapeDataString(path[1..]);
        if (path.Contains(":memory:", StringComparison.OrdinalIgnoreCase) || path.Contains("mode=memory", StringComparison.OrdinalIgnoreCase))
        {
            throw new ConfigurationError($"{Variable} cannot be an in-memory SQLite database: the silo and the gateway must share a file.");
        }

        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path.Split('?')[0],
            // A locked file must become a 503 within the grain-call timeout, not after 30 s.
            DefaultTimeout = SqliteBusyTimeoutSeconds,
            Pooling = true,
        };
        return new DatabaseTarget(DatabaseKind.Sqlite, builder.ConnectionString, $"sqlite file {path}");
    }

    private static DatabaseTarget FromPostgresUrl(string url, int poolSize)
    {
        // Uri does not know postgres+driver schemes: normalise to one it parses like http.
        var rest = url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..];
        if (!Uri.TryCreate("postgresql://" + rest, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw new ConfigurationError($"{Variable} is not a valid PostgreSQL URL (expected postgresql://user:pass@host:port/db).");
        }

        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host.Trim('[', ']'),
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')) is { Length: > 0 } database ? database : null,
        };

        if (uri.UserInfo.Length > 0)
        {
            var separator = uri.UserInfo.IndexOf(':');
            builder.Username = Uri.UnescapeDataString(separator < 0 ? uri.UserInfo : uri.UserInfo[..separator]);
            if (separator >= 0)
            {
                builder.Password = Uri.UnescapeDataString(uri.UserInfo[(separator + 1)..]);
            }
        }

        var explicitKeywords = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=', 2);
            var name = Uri.UnescapeDataString(parts[0]);
            var value = parts.Length > 1 ? Uri.UnescapeDataString(parts[1].Replace('+', ' ')) : "";
            if (!PostgresQueryOptions.TryGetValue(name, out var keyword))
            {
                throw new ConfigurationError($"{Variable} has the query option '{name}', which is not supported (supported: {string.Join(", ", PostgresQueryOptions.Keys)}).");
            }

            try
            {
                builder[keyword] = value;
                explicitKeywords.Add(Normalized(keyword));
            }
            catch (ArgumentException)
            {
                throw new ConfigurationError($"{Variable} query option {name}='{value}' is not valid.");
            }
        }

        return Finish(builder, poolSize, explicitKeywords);
    }

    private static DatabaseTarget FromNpgsqlKeywords(string connectionString, int poolSize)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException exception)
        {
            // The driver's message names the bad keyword, never a value.
            throw new ConfigurationError($"{Variable} is not a valid Npgsql connection string: {exception.Message}");
        }

        if (string.IsNullOrEmpty(builder.Host))
        {
            throw new ConfigurationError($"{Variable} as an Npgsql connection string needs Host=…");
        }

        // The typed builder cannot tell an explicit "Max Auto Prepare=0" from the default; the raw keywords can.
        var keywords = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        return Finish(builder, poolSize, [.. keywords.Keys.Cast<string>().Select(Normalized)]);
    }

    private static string Normalized(string keyword) => keyword.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant();

    private static DatabaseTarget Finish(NpgsqlConnectionStringBuilder builder, int poolSize, HashSet<string> explicitKeywords)
    {
        builder.MaxPoolSize = poolSize;
        // A database that stopped answering must turn into a 503 within the gateway's grain-call timeout,
        // not after Npgsql's defaults (15 s to connect, 30 s per command); an explicit setting wins.
        if (!builder.ContainsKey("Timeout") || builder.Timeout == new NpgsqlConnectionStringBuilder().Timeout)
        {
            builder.Timeout = ConnectTimeoutSeconds;
        }

        if (builder.CommandTimeout == new NpgsqlConnectionStringBuilder().CommandTimeout)
        {
            builder.CommandTimeout = CommandTimeoutSeconds;
        }

        // An explicit value wins, e.g. Max Auto Prepare=0 behind a pooler that cannot keep prepared statements.
        if (!explicitKeywords.Contains(Normalized(AutoPrepareKeyword)))
        {
            builder.MaxAutoPrepare = AutoPreparedStatements;
        }

        // The service never changes session state (no SET, temporary tables, LISTEN or session locks), so
        // resetting each pooled connection on its return is a wasted round of statements per query.
        if (!explicitKeywords.Contains(Normalized(NoResetOnCloseKeyword)))
        {
            builder.NoResetOnClose = true;
        }

        // Several silos and gateways share one server: name them in pg_stat_activity unless the URL did.
        if (string.IsNullOrEmpty(builder.ApplicationName))
        {
            builder.ApplicationName = "botstatecluster";
        }

        var description = $"postgresql {builder.Username ?? "(default user)"}@{builder.Host}:{builder.Port}/{builder.Database ?? "(default db)"}";
        return new DatabaseTarget(DatabaseKind.PostgreSql, builder.ConnectionString, description);
    }
}
