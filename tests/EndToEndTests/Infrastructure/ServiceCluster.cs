using System.Text;

namespace BotStateCluster.EndToEndTests;

/// <summary>
/// A silo and a gateway on their own SQLite file in a fresh temporary directory, with their own
/// cluster id and free ports. Restartable on the same file; everything started is stopped on dispose.
/// </summary>
public sealed class ServiceCluster : IAsyncDisposable
{
    private readonly List<ServiceProcess> _processes = [];
    private readonly IReadOnlyDictionary<string, string> _siloSettings;
    private readonly IReadOnlyDictionary<string, string> _gatewaySettings;
    private ServiceProcess? _silo;
    private ServiceProcess? _gateway;
    private bool _disposed;

    /// <param name="siloSettings">Extra environment of the silo.</param>
    /// <param name="gatewaySettings">Extra environment of the gateway.</param>
    public ServiceCluster(IReadOnlyDictionary<string, string>? siloSettings = null, IReadOnlyDictionary<string, string>? gatewaySettings = null)
    {
        _siloSettings = siloSettings ?? new Dictionary<string, string>();
        _gatewaySettings = gatewaySettings ?? new Dictionary<string, string>();
        Directory = System.IO.Directory.CreateTempSubdirectory("botstate-e2e-").FullName;
        ClusterId = $"e2e-{Guid.NewGuid():N}";
        AssignPorts();
    }

    /// <summary>The temporary directory: working directory of the processes, home of the database.</summary>
    public string Directory { get; }

    /// <summary>The SQLite file both processes share.</summary>
    public string DatabaseFile => Path.Combine(Directory, "botstate.db");

    public string ClusterId { get; }

    public int SiloPort { get; private set; }

    public int GatewayPort { get; private set; }

    public ServiceProcess Silo => _silo ?? throw new InvalidOperationException("The silo has not been started.");

    public ServiceProcess Gateway => _gateway ?? throw new InvalidOperationException("The gateway has not been started.");

    /// <summary>The API of the current gateway, with failure messages that show both processes' output.</summary>
    public ApiClient Api => new(Gateway.Http, Describe);

    /// <summary>
    /// Starts a silo and a gateway on fresh ports (the same database and cluster id as before) and waits
    /// until both are ready.
    /// </summary>
    public async Task StartAsync()
    {
        AssignPorts();
        _silo = Launch(ServiceKind.Silo);
        _gateway = Launch(ServiceKind.Gateway);
        await _silo.WaitUntilReadyAsync();
        await _gateway.WaitUntilReadyAsync();
    }

    /// <summary>Another gateway on the running silo, ready; stopped with the cluster.</summary>
    public async Task<ServiceProcess> StartGatewayAsync(IReadOnlyDictionary<string, string> settings)
    {
        var gateway = Launch(ServiceKind.Gateway, settings);
        await gateway.WaitUntilReadyAsync();
        return gateway;
    }

    /// <summary>Starts <paramref name="kind"/> without waiting for it; <paramref name="overrides"/> win over every default.</summary>
    public ServiceProcess Launch(ServiceKind kind, IReadOnlyDictionary<string, string>? overrides = null)
    {
        var environment = new Dictionary<string, string>
        {
            ["DB_URL"] = $"sqlite:///{DatabaseFile}",
            ["SILO_PORT"] = SiloPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["GATEWAY_PORT"] = GatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["LOG_FORMAT"] = "text",
            ["ORLEANS_CLUSTER_ID"] = ClusterId,
        };
        foreach (var (name, value) in kind == ServiceKind.Silo ? _siloSettings : _gatewaySettings)
        {
            environment[name] = value;
        }

        foreach (var (name, value) in overrides ?? new Dictionary<string, string>())
        {
            environment[name] = value;
        }

        var process = ServiceProcess.Start(kind, new Uri($"http://127.0.0.1:{FreePort.Next()}"), environment, Directory);
        _processes.Add(process);
        return process;
    }

    /// <summary>Stops every running process gracefully, gateways first, and returns their exit codes.</summary>
    public async Task<IReadOnlyDictionary<ServiceProcess, int>> StopAsync()
    {
        var codes = new Dictionary<ServiceProcess, int>();
        foreach (var process in _processes.Where(process => process.Kind == ServiceKind.Gateway).Concat(_processes.Where(process => process.Kind == ServiceKind.Silo)))
        {
            codes[process] = await process.StopAsync();
        }

        return codes;
    }

    /// <summary>Every process's state and output tail, for failure messages.</summary>
    public string Describe()
    {
        var text = new StringBuilder($"Cluster {ClusterId} in {Directory}");
        foreach (var process in _processes.Where(process => process == _silo || process == _gateway || !process.HasExited))
        {
            text.AppendLine().Append(process.Describe());
        }

        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            await StopAsync();
        }
        finally
        {
            foreach (var process in _processes)
            {
                await process.DisposeAsync();
            }

            try
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
            catch (IOException)
            {
                // A file still held open must not hide the test's own outcome; the OS cleans its temp directory.
            }
        }
    }

    private void AssignPorts()
    {
        var ports = FreePort.Distinct(2);
        (SiloPort, GatewayPort) = (ports[0], ports[1]);
    }
}
