namespace BotStateCluster.EndToEndTests;

/// <summary>
/// A silo and a gateway on a fresh database of the PostgreSQL that <c>./test.sh</c> provides through
/// <c>PG_TEST_URL</c>; the database is dropped afterwards.
/// </summary>
public sealed class PostgreSqlServiceFixture : IAsyncLifetime
{
    private PostgresDatabase? _database;
    private ServiceCluster? _cluster;

    public ServiceCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster has not been started.");

    public async Task InitializeAsync()
    {
        _database = await PostgresDatabase.CreateAsync();
        var settings = new Dictionary<string, string>
        {
            ["DB_URL"] = _database.Url,
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

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
