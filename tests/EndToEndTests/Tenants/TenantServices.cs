namespace BotStateCluster.EndToEndTests;

/// <summary>
/// A silo that serves the API itself and a gateway, both reading one <c>API_KEYS_FILE</c>, on one backend: the two
/// shapes of the service with tenants. Stopped, and its database dropped, on dispose.
/// </summary>
public abstract class TenantServices : IAsyncLifetime
{
    private ServiceCluster? _cluster;

    public ServiceCluster Cluster => _cluster ?? throw new InvalidOperationException("Not started.");

    public string KeyFile => Path.Combine(Cluster.Directory, "keys.json");

    /// <summary>The gateway's API, then the silo's own.</summary>
    public IReadOnlyList<ApiClient> Apis => [Cluster.Api, new ApiClient(Cluster.Silo.Http, Cluster.Describe)];

    protected abstract Task<string?> DatabaseUrlAsync();

    public virtual async Task InitializeAsync()
    {
        var url = await DatabaseUrlAsync();
        var settings = new Dictionary<string, string> { ["API_KEYS_FILE"] = "keys.json" };
        if (url is not null)
        {
            settings["DB_URL"] = url;
        }

        var silo = new Dictionary<string, string>(settings) { ["SILO_API_ENABLED"] = "true" };
        _cluster = new ServiceCluster(silo, settings);
        await File.WriteAllTextAsync(KeyFile, TenantKeys.FileJson());
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

    public virtual async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}

public sealed class SqliteTenantServices : TenantServices
{
    protected override Task<string?> DatabaseUrlAsync() => Task.FromResult<string?>(null);
}

public sealed class PostgreSqlTenantServices : TenantServices
{
    private PostgresDatabase? _database;

    protected override async Task<string?> DatabaseUrlAsync()
    {
        _database = await PostgresDatabase.CreateAsync();
        return _database.Url;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
