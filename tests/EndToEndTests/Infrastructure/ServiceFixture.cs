namespace BotStateCluster.EndToEndTests;

/// <summary>
/// One silo and one gateway shared by the tests of <see cref="ServiceCollection"/>; each test uses its
/// own user ids. A second gateway that requires an API key is started on first use.
/// </summary>
public sealed class ServiceFixture : IAsyncLifetime
{
    /// <summary>The key the secured gateway accepts (24 characters).</summary>
    public const string ApiKey = "e2e-api-key-0123456789ab";

    private readonly ServiceCluster _cluster = new();
    private readonly SemaphoreSlim _securedGatewayGate = new(1, 1);
    private ServiceProcess? _securedGateway;

    /// <summary>The silo and gateway processes, their ports and cluster id.</summary>
    public ServiceCluster Cluster => _cluster;

    /// <summary>The open gateway's API.</summary>
    public ApiClient Api => _cluster.Api;

    public ServiceProcess Silo => _cluster.Silo;

    public ServiceProcess Gateway => _cluster.Gateway;

    /// <summary>Both kinds of process, for tests that hold for each.</summary>
    public static TheoryData<ServiceKind> BothKinds => [ServiceKind.Silo, ServiceKind.Gateway];

    /// <summary>The process of <paramref name="kind"/>.</summary>
    public ServiceProcess Process(ServiceKind kind) => kind == ServiceKind.Silo ? Silo : Gateway;

    /// <summary>The listener of <paramref name="kind"/>.</summary>
    public HttpClient Listener(ServiceKind kind) => Process(kind).Http;

    /// <summary>The gateway <see cref="SecuredApiAsync"/> started, once it has.</summary>
    public ServiceProcess SecuredGateway => _securedGateway ?? throw new InvalidOperationException("SecuredApiAsync starts the secured gateway.");

    /// <summary>A gateway on the same silo started with <c>API_KEYS</c> = <see cref="ApiKey"/>.</summary>
    public async Task<ApiClient> SecuredApiAsync()
    {
        await _securedGatewayGate.WaitAsync();
        try
        {
            _securedGateway ??= await _cluster.StartGatewayAsync(new Dictionary<string, string> { ["API_KEYS"] = ApiKey });
            return new ApiClient(_securedGateway.Http, _cluster.Describe);
        }
        finally
        {
            _securedGatewayGate.Release();
        }
    }

    public async Task InitializeAsync()
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

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        _securedGatewayGate.Dispose();
    }
}

/// <summary>The tests that share one running silo and gateway.</summary>
[CollectionDefinition(Name)]
public sealed class ServiceCollection : ICollectionFixture<ServiceFixture>
{
    public const string Name = "Shared silo and gateway";
}
