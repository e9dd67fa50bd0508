using BotStateCluster.Grains;
using BotStateCluster.ServiceDefaults;
using BotStateCluster.Silo.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Serialization;
using Orleans.TestingHost;

namespace BotStateCluster.IntegrationTests.Support;

/// <summary>An Orleans test cluster whose silos persist states grains through the real storage of a backend.</summary>
public sealed class StateCluster : IAsyncDisposable
{
    public const int HistoryLimit = 5;

    private StateCluster(Backend backend, TestCluster cluster)
    {
        Backend = backend;
        Cluster = cluster;
    }

    public Backend Backend { get; }

    public TestCluster Cluster { get; }

    public IStateGrain Grain(string userId) => Cluster.Client.GetStateGrain(userId);

    /// <summary>The change feed of this cluster's database and service id, read as the silos read it.</summary>
    internal IChangeFeed Feed => ChangeFeeds.Of(Backend.Target, Cluster.Options.ServiceId);

    /// <summary>Every event of <paramref name="tenant"/> (default: <c>default</c>) that names <paramref name="userId"/>, oldest first.</summary>
    public async Task<IReadOnlyList<ChangeEvent>> EventsOfAsync(string userId, TenantId? tenant = null)
    {
        var events = new List<ChangeEvent>();
        var cursor = ChangeCursor.Start;
        while (true)
        {
            var page = await Feed.ReadAsync(tenant ?? TenantId.Default, cursor, 1000, CancellationToken.None);
            events.AddRange(page.Where(change => change.ThreadId == userId));
            if (page.Count < 1000)
            {
                return events;
            }

            cursor = page[^1].Cursor;
        }
    }

    /// <param name="serviceId">The service id the rows are stored under; a new one when not given.</param>
    public static async Task<StateCluster> StartAsync(Backend backend, string? serviceId = null)
    {
        await Migrate(backend.Target);
        var builder = new TestClusterBuilder(initialSilosCount: 1);
        if (serviceId is not null)
        {
            builder.Options.ServiceId = serviceId;
        }

        builder.Properties["DB_URL"] = backend.Url;
        builder.Options.ClusterId = $"it-{Guid.NewGuid():N}";
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new StateCluster(backend, cluster);
    }

    public static Task<int> Migrate(DatabaseTarget target) =>
        new SchemaMigrator(target, TimeProvider.System, NullLogger<SchemaMigrator>.Instance).MigrateAsync(CancellationToken.None);

    /// <summary>Stops the silo and starts a new one: every activation and its memory are gone.</summary>
    public async Task RestartSiloAsync()
    {
        await Cluster.RestartSiloAsync(Cluster.Primary ?? throw new InvalidOperationException("The test cluster has no primary silo."));
        await Cluster.InitializeClientAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        await Backend.DisposeAsync();
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo)
        {
            silo.AddBotStateStorage(DatabaseUrl.Parse(silo.Configuration["DB_URL"], poolSize: 20));
            silo.Services.Configure<StateGrainOptions>(options => options.HistoryLimit = HistoryLimit);
            silo.Services.AddSerializer(serializer => serializer.AddBotStateSerialization());
        }
    }

    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder client) =>
            client.Services.AddSerializer(serializer => serializer.AddBotStateSerialization());
    }
}
