namespace BotStateCluster.EndToEndTests;

/// <summary>
/// The production shape for fault tests: silo processes and a gateway with ADO.NET clustering on a PostgreSQL of
/// the test's own (<see cref="OwnPostgres"/>), which the test may freeze or stop. Silos can be restarted one by one
/// on their ports, as a rolling deploy does. Everything it started is stopped on dispose: the gateway, the silos, the
/// server. A fault test starts one of its own with <c>await using</c>.
/// </summary>
public sealed class OwnPostgresCluster : IAsyncDisposable
{
    // The tail of each process's output that a failure message shows.
    private const int DescribedLines = 40;

    private readonly List<ServiceProcess> _started = [];
    private readonly ServiceProcess[] _silos;
    private readonly string _directory;

    private OwnPostgresCluster(OwnPostgres postgres, string directory, ServiceProcess[] silos, ServiceProcess gateway)
    {
        Postgres = postgres;
        _directory = directory;
        _silos = silos;
        Gateway = gateway;
        _started.AddRange(silos);
        _started.Add(gateway);
    }

    public OwnPostgres Postgres { get; }

    /// <summary>The silos running now, by position (a restarted silo takes its predecessor's place).</summary>
    public IReadOnlyList<ServiceProcess> Silos => _silos;

    public ServiceProcess Gateway { get; }

    /// <summary>Every process started, the stopped ones included.</summary>
    public IReadOnlyList<ServiceProcess> Processes => _started;

    /// <summary>The gateway's API, with failure messages that show every process's output.</summary>
    public ApiClient Api => new(Gateway.Http, Describe);

    /// <summary>
    /// Starts a server, <paramref name="silos"/> silos together, then a gateway with <paramref name="gatewaySettings"/>
    /// added to its environment (<see cref="ServedRequests.LoggingSettings"/> for a test that reads its request times),
    /// and waits until all are ready.
    /// </summary>
    public static async Task<OwnPostgresCluster> StartAsync(string purpose, int silos, IReadOnlyDictionary<string, string>? gatewaySettings = null)
    {
        var postgres = await OwnPostgres.StartAsync();
        var directory = Directory.CreateTempSubdirectory($"botstate-{purpose}-").FullName;
        var clusterId = $"{purpose}-{Guid.NewGuid():N}";
        var started = new List<ServiceProcess>();
        try
        {
            var members = Enumerable.Range(0, silos).Select(_ => PostgresCluster.Launch(ServiceKind.Silo, postgres.Url, clusterId, directory)).ToArray();
            started.AddRange(members);
            await Task.WhenAll(members.Select(silo => silo.WaitUntilReadyAsync()));
            var gateway = PostgresCluster.Launch(ServiceKind.Gateway, postgres.Url, clusterId, directory, gatewaySettings);
            started.Add(gateway);
            await gateway.WaitUntilReadyAsync();
            return new OwnPostgresCluster(postgres, directory, members, gateway);
        }
        catch
        {
            foreach (var process in started)
            {
                await process.DisposeAsync();
            }

            await postgres.DisposeAsync();
            Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    /// <summary>
    /// SIGTERM to silo <paramref name="index"/>, waits until it exited, starts it again on the same ports and waits
    /// until it is ready.
    /// </summary>
    public async Task RestartSiloAsync(int index)
    {
        var silo = _silos[index];
        var code = await silo.StopAsync();
        Assert.True(code == 0, $"The silo exited with code {code} after SIGTERM.{Environment.NewLine}{silo.Describe()}");
        var again = silo.StartAgain();
        _started.Add(again);
        _silos[index] = again;
        await again.WaitUntilReadyAsync();
    }

    /// <summary>The tail of every process's output, the stopped ones included, for failure messages.</summary>
    public string Describe() => string.Join(Environment.NewLine, _started.Select(process => process.Describe(DescribedLines)));

    public async ValueTask DisposeAsync()
    {
        // The gateway first, so that it does not chase silos that are going away.
        foreach (var process in _started.OrderBy(process => process.Kind == ServiceKind.Silo))
        {
            await process.DisposeAsync();
        }

        await Postgres.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
