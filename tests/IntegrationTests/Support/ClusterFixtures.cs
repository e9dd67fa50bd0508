namespace BotStateCluster.IntegrationTests.Support;

public sealed class SqliteClusterFixture : IAsyncLifetime
{
    public StateCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await StateCluster.StartAsync(Backend.Sqlite());

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

public sealed class PostgreSqlClusterFixture : IAsyncLifetime
{
    public StateCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await StateCluster.StartAsync(await Backend.PostgreSqlAsync());

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class SqliteCluster : ICollectionFixture<SqliteClusterFixture>
{
    public const string Name = "SQLite cluster";
}

[CollectionDefinition(Name)]
public sealed class PostgreSqlCluster : ICollectionFixture<PostgreSqlClusterFixture>
{
    public const string Name = "PostgreSQL cluster";
}

/// <summary>
/// Tests that read the PostgreSQL change feed. The feed holds back every event younger than the oldest transaction
/// open on the server (so that none is skipped), and other tests' transactions (a migration, a held lock) would hold
/// them back for as long as they run: these run when no other test does.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PostgreSqlFeedCluster : ICollectionFixture<PostgreSqlClusterFixture>
{
    public const string Name = "PostgreSQL cluster, change feed";
}
