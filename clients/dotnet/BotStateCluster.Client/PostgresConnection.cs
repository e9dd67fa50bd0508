using Npgsql;

namespace BotStateCluster.Client;

/// <summary>
/// A PostgreSQL connection string read from <c>DB_URL</c> as the Python service accepted it (SQLAlchemy
/// URLs) or as an Npgsql keyword string, with timeouts that fail fast, and a description without the password.
/// </summary>
/// <param name="ConnectionString">The Npgsql connection string.</param>
/// <param name="Description">User, host, port and database, for logs.</param>
public sealed record PostgresConnection(string ConnectionString, string Description)
{
    private const string Variable = "DB_URL";
    private const int ConnectTimeoutSeconds = 3;
    private const int CommandTimeoutSeconds = 4;

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

    /// <summary>
    /// Whether <paramref name="url"/> names PostgreSQL: a <c>postgresql://</c>, <c>postgres://</c> or
    /// <c>postgresql+driver://</c> URL, or an Npgsql <c>Host=…;</c> string.
    /// </summary>
    public static bool IsPostgres(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return false;
        }

        var separator = url.IndexOf("://", StringComparison.Ordinal);
        if (separator < 0)
        {
            return url.Contains('=');
        }

        var scheme = url[..separator].Trim().ToLowerInvariant();
        return scheme is "postgresql" or "postgres" || scheme.StartsWith("postgresql+", StringComparison.Ordinal) || scheme.StartsWith("postgres+", StringComparison.Ordinal);
    }

    /// <summary>Reads a PostgreSQL <paramref name="url"/> (see <see cref="IsPostgres"/>) with a pool of <paramref name="poolSize"/>.</summary>
    /// <exception cref="FormatException">The URL cannot be used; the message names DB_URL, never the password.</exception>
    public static PostgresConnection Parse(string url, int poolSize)
    {
        url = url.Trim();
        return !IsPostgres(url)
            ? throw new FormatException($"{Variable} does not name PostgreSQL (postgresql://user:pass@host:port/db or Host=…;).")
            : url.Contains("://", StringComparison.Ordinal) ? FromUrl(url, poolSize) : FromKeywords(url, poolSize);
    }

    private static PostgresConnection FromUrl(string url, int poolSize)
    {
        // Uri does not know postgres+driver schemes: normalise to one it parses like http.
        var rest = url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..];
        if (!Uri.TryCreate("postgresql://" + rest, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw new FormatException($"{Variable} is not a valid PostgreSQL URL (expected postgresql://user:pass@host:port/db).");
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
                throw new FormatException($"{Variable} has the query option '{name}', which is not supported (supported: {string.Join(", ", PostgresQueryOptions.Keys)}).");
            }

            try
            {
                builder[keyword] = value;
                explicitKeywords.Add(Normalized(keyword));
            }
            catch (ArgumentException)
            {
                throw new FormatException($"{Variable} query option {name}='{value}' is not valid.");
            }
        }

        return Finish(builder, poolSize, explicitKeywords);
    }

    private static PostgresConnection FromKeywords(string connectionString, int poolSize)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException exception)
        {
            // The driver's message names the bad keyword, never a value.
            throw new FormatException($"{Variable} is not a valid Npgsql connection string: {exception.Message}");
        }

        if (string.IsNullOrEmpty(builder.Host))
        {
            throw new FormatException($"{Variable} as an Npgsql connection string needs Host=…");
        }

        // The typed builder cannot tell an explicit "Max Auto Prepare=0" from the default; the raw keywords can.
        var keywords = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        return Finish(builder, poolSize, [.. keywords.Keys.Cast<string>().Select(Normalized)]);
    }

    private static string Normalized(string keyword) => keyword.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant();

    private static PostgresConnection Finish(NpgsqlConnectionStringBuilder builder, int poolSize, HashSet<string> explicitKeywords)
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
        return new PostgresConnection(builder.ConnectionString, description);
    }

    /// <inheritdoc />
    public override string ToString() => Description;
}
