using BotStateCluster.ServiceDefaults;
using Npgsql;

namespace BotStateCluster.IntegrationTests.Support;

/// <summary>A real database for one fixture: a fresh SQLite file, or a fresh PostgreSQL database.</summary>
public abstract class Backend : IAsyncDisposable
{
    public abstract string Url { get; }

    public DatabaseTarget Target => DatabaseUrl.Parse(Url, poolSize: 20);

    public static Backend Sqlite() => new SqliteBackend();

    /// <summary>
    /// A new database on the PostgreSQL that <c>./test.sh</c> provides through <c>PG_TEST_URL</c>.
    /// Without it the tests fail: PostgreSQL is a real dependency, not an optional one.
    /// </summary>
    public static async Task<Backend> PostgreSqlAsync()
    {
        var server = Environment.GetEnvironmentVariable("PG_TEST_URL");
        if (string.IsNullOrWhiteSpace(server))
        {
            throw new InvalidOperationException("PG_TEST_URL is not set: run the tests through ./test.sh, which provides a PostgreSQL.");
        }

        var backend = new PostgreSqlBackend(server, $"botstate_it_{Guid.NewGuid():N}");
        await backend.CreateAsync();
        return backend;
    }

    public abstract ValueTask DisposeAsync();

    private sealed class SqliteBackend : Backend
    {
        private readonly string _directory = Directory.CreateTempSubdirectory("botstate-it-").FullName;

        public override string Url => $"sqlite:///{_directory}/botstate.db";

        public override ValueTask DisposeAsync()
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(_directory, recursive: true);
            return ValueTask.CompletedTask;
        }
    }

    private sealed class PostgreSqlBackend(string serverUrl, string database) : Backend
    {
        private readonly string _adminConnectionString = DatabaseUrl.Parse(serverUrl, poolSize: 2).ConnectionString;

        public override string Url => new UriBuilder(serverUrl) { Path = database }.Uri.ToString();

        public async Task CreateAsync()
        {
            await using var admin = await AdminAsync();
            await TestDatabases.CreateAsync(admin, database);
        }

        public override async ValueTask DisposeAsync()
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = await AdminAsync();
            await TestDatabases.DropAsync(admin, database);
        }

        private async Task<NpgsqlConnection> AdminAsync()
        {
            var connection = new NpgsqlConnection(_adminConnectionString);
            await connection.OpenAsync();
            return connection;
        }
    }
}
