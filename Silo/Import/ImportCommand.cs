using BotStateCluster.ServiceDefaults;

namespace BotStateCluster.Silo.Import;

/// <summary>
/// <c>dotnet run --project Silo -- import FILE [--tenant TENANT]</c>: an Orleans client of the running cluster (the
/// same settings as the gateway) that replays the file's states through the grains, into the conversations of
/// <c>TENANT</c> (default <c>default</c>). Relative paths, the file's and an SQLite <c>DB_URL</c>'s, mean the directory
/// the command was started from.
/// </summary>
internal static class ImportCommand
{
    private const string Usage = "usage: import FILE [--tenant TENANT]";

    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);

    public static async Task<int> RunAsync(string[] args)
    {
        var tenant = TenantId.Default;
        switch (args)
        {
            case [_]:
                break;
            case [_, "--tenant", var text] when TenantId.TryParse(text, out tenant, out _):
                break;
            case [_, "--tenant", var text]:
                await Console.Error.WriteLineAsync($"import: --tenant: {TenantId.Validate(text)}");
                return 2;
            default:
                await Console.Error.WriteLineAsync(Usage);
                return 2;
        }

        var path = Path.GetFullPath(args[0]);
        if (!File.Exists(path))
        {
            await Console.Error.WriteLineAsync($"import: no file at {path}");
            return 1;
        }

        var builder = Host.CreateApplicationBuilder();
        // The importer reports what matters itself; the client's connection retries would only drown it.
        builder.Logging.ClearProviders().AddSimpleConsole(console => console.SingleLine = true).SetMinimumLevel(LogLevel.Critical);
        var settings = SharedSettings.Load(builder.Configuration);
        builder.AddBotStateClient(settings.ClientOptions);
        using var host = builder.Build();

        using var connecting = new CancellationTokenSource(ConnectTimeout);
        try
        {
            await host.StartAsync(connecting.Token);
        }
        catch (Exception exception) when (exception is not ConfigurationError)
        {
            await Console.Error.WriteLineAsync(
                $"import: no silo of cluster '{settings.Cluster.ClusterId}' answered ({exception.Message}). Start the service first (./run.sh, or dotnet run --project Silo).");
            return 1;
        }

        var grains = host.Services.GetRequiredService<IGrainFactory>();
        if (!await CheckDatabaseAsync(grains, StorageInfo.Of(settings.Database)))
        {
            await host.StopAsync();
            return 1;
        }

        Console.WriteLine($"import: reading {path}");
        if (tenant != TenantId.Default)
        {
            Console.WriteLine($"import: into the conversations of tenant '{tenant}'");
        }

        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, args) =>
        {
            // The run can be repeated: what was imported stays, the rest is imported next time.
            args.Cancel = true;
            stop.Cancel();
        };

        using var reader = File.OpenText(path);
        var importer = new StateImporter(grains, tenant, TimeProvider.System);
        var summary = await importer.ImportAsync(reader, line => Console.Error.WriteLine(line), stop.Token);
        Console.Write(summary.Report());
        await host.StopAsync();
        return 0;
    }

    /// <summary>Says which database the import writes into; false when that is not the one <c>DB_URL</c> here names.</summary>
    private static async Task<bool> CheckDatabaseAsync(IGrainFactory grains, StorageInfo expected)
    {
        StorageInfo silo;
        try
        {
            silo = await grains.GetGrain<IStorageInfoGrain>(0).DescribeAsync();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // A silo of an older build cannot say; the import still goes to the cluster it reached.
            Console.WriteLine($"import: writing through the running cluster (its silo did not say which database it uses: {exception.Message})");
            return true;
        }

        if (silo.MismatchWith(expected) is { } mismatch)
        {
            await Console.Error.WriteLineAsync($"import: refused: {mismatch}");
            return false;
        }

        Console.WriteLine($"import: writing into {silo.Description} (the running silo's database)");
        return true;
    }
}
