using Npgsql;

namespace BotStateCluster.EndToEndTests;

/// <summary>
/// A silo and a gateway on a fresh database of the PostgreSQL that <c>./test.sh</c> provides through
/// <c>PG_TEST_URL</c>; the database is dropped afterwards.
/// </summary>
public sealed class PostgreSqlServiceFixture : IAsyncLifetime
{
    private readonly string _database = $"botstate_e2e_{Guid.NewGuid():N}";
    private ServiceCluster? _cluster;

    public ServiceCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster has not been started.");

    private static string ServerUrl => Environment.GetEnvironmentVariable("PG_TEST_URL") is { Length: > 0 } url
        ? url
        : throw new InvalidOperationException("PG_TEST_URL is not set: run the tests through ./test.sh, which provides a PostgreSQL.");

    public async Task InitializeAsync()
    {
        await AdminAsync($"CREATE DATABASE {_database}");
        var settings = new Dictionary<string, string>
        {
            ["DB_URL"] = new UriBuilder(ServerUrl) { Path = _database }.Uri.ToString(),
            ["CLUSTERING"] = "localhost",
        };
        _cluster = new ServiceCluster(settings, settings);
        try
        {
            await _cluster.StartAsync();
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        NpgsqlConnection.ClearAllPools();
        await AdminAsync($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)");
    }

    private static async Task AdminAsync(string sql)
    {
        var server = new Uri(ServerUrl);
        var credentials = server.UserInfo.Split(':');
        var connectionString = new NpgsqlConnectionStringBuilder
        {
            Host = server.Host,
            Port = server.Port,
            Username = Uri.UnescapeDataString(credentials[0]),
            Password = credentials.Length > 1 ? Uri.UnescapeDataString(credentials[1]) : null,
            Database = server.AbsolutePath.Trim('/'),
        }.ConnectionString;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
