using Npgsql;

namespace BotStateCluster.EndToEndTests;

/// <summary>A database of its own on the PostgreSQL that <c>PG_TEST_URL</c> names, dropped again on dispose.</summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
    private readonly string _name = $"botstate_e2e_{Guid.NewGuid():N}";
    private readonly Uri _server;

    private PostgresDatabase(Uri server) => _server = server;

    /// <summary>The database as a <c>DB_URL</c>.</summary>
    public string Url => new UriBuilder(_server) { Path = _name }.Uri.ToString();

    /// <summary>Creates the database.</summary>
    /// <exception cref="InvalidOperationException"><c>PG_TEST_URL</c> is not set.</exception>
    public static async Task<PostgresDatabase> CreateAsync()
    {
        var url = Environment.GetEnvironmentVariable("PG_TEST_URL") is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException("PG_TEST_URL is not set: run the tests through ./test.sh, which provides a PostgreSQL.");
        var database = new PostgresDatabase(new Uri(url));
        await using var admin = await database.AdminAsync();
        await TestDatabases.CreateAsync(admin, database._name);
        return database;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = await AdminAsync();
        await TestDatabases.DropAsync(admin, _name);
    }

    /// <summary>A connection string to the database, for the test's own queries.</summary>
    public string ConnectionString => ConnectionStringTo(_name);

    private async Task<NpgsqlConnection> AdminAsync()
    {
        var connection = new NpgsqlConnection(ConnectionStringTo(_server.AbsolutePath.Trim('/')));
        await connection.OpenAsync();
        return connection;
    }

    private string ConnectionStringTo(string database)
    {
        var credentials = _server.UserInfo.Split(':');
        return new NpgsqlConnectionStringBuilder
        {
            Host = _server.Host,
            Port = _server.Port,
            Username = Uri.UnescapeDataString(credentials[0]),
            Password = credentials.Length > 1 ? Uri.UnescapeDataString(credentials[1]) : null,
            Database = database,
        }.ConnectionString;
    }
}
