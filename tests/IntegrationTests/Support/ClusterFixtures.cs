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
