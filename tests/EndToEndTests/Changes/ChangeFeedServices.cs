namespace BotStateCluster.EndToEndTests;

/// <summary>Processes that write and serve one database's change feed; every API they serve, to spread clients over.</summary>
public abstract class ChangeFeedServices : IAsyncLifetime
{
    /// <summary>Every API of the service: each silo's own, and a gateway's where there is one.</summary>
    public abstract IReadOnlyList<ApiClient> Apis { get; }

    public abstract Task InitializeAsync();

    public abstract Task DisposeAsync();
}

/// <summary>The embedded default: one silo that serves the API itself and a gateway, on a SQLite file of their own.</summary>
public sealed class SqliteChangeFeedServices : ChangeFeedServices
{
    private readonly ServiceCluster _cluster = new(new Dictionary<string, string> { ["SILO_API_ENABLED"] = "true" });

    public ServiceCluster Cluster => _cluster;

    public override IReadOnlyList<ApiClient> Apis => [_cluster.Api, new ApiClient(_cluster.Silo.Http, _cluster.Describe)];

    public override async Task InitializeAsync()
    {
        try
        {
            await _cluster.StartAsync();
        }
        catch
        {
            await _cluster.DisposeAsync();
            throw;
        }
    }

    public override async Task DisposeAsync() => await _cluster.DisposeAsync();
}

/// <summary>The production shape: three silos on one PostgreSQL database, each serving the API itself, all writing.</summary>
public sealed class PostgreSqlChangeFeedServices : ChangeFeedServices
{
    public const int Silos = 3;

    private readonly List<ServiceProcess> _silos = [];
    private readonly string _directory = Directory.CreateTempSubdirectory("botstate-feed-").FullName;
    private PostgresDatabase? _database;

    public override IReadOnlyList<ApiClient> Apis => [.. _silos.Select(silo => new ApiClient(silo.Http, Describe))];

    public IReadOnlyList<ServiceProcess> SiloProcesses => _silos;

    public PostgresDatabase Database => _database ?? throw new InvalidOperationException("Not started.");

    public override async Task InitializeAsync()
    {
        _database = await PostgresDatabase.CreateAsync();
        var clusterId = $"feed-{Guid.NewGuid():N}";
        try
        {
            _silos.AddRange(Enumerable.Range(0, Silos).Select(_ =>
                PostgresCluster.Launch(ServiceKind.Silo, _database.Url, clusterId, _directory, new Dictionary<string, string> { ["SILO_API_ENABLED"] = "true" })));
            await Task.WhenAll(_silos.Select(silo => silo.WaitUntilReadyAsync()));
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    public override async Task DisposeAsync()
    {
        foreach (var silo in _silos)
        {
            await silo.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }

    private string Describe() => string.Join(Environment.NewLine, _silos.Select(silo => silo.Describe(30)));
}
