using BotStateCluster.ServiceDefaults;

namespace BotStateCluster.Silo.Import;

/// <summary>
/// <c>dotnet run --project Silo -- import FILE</c>: an Orleans client of the running cluster (the same
/// settings as the gateway) that replays the file's states through the grains.
/// </summary>
internal static class ImportCommand
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);

    public static async Task<int> RunAsync(string path)
    {
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

        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, args) =>
        {
            // The run can be repeated: what was imported stays, the rest is imported next time.
            args.Cancel = true;
            stop.Cancel();
        };

        using var file = File.OpenText(path);
        var importer = new StateImporter(host.Services.GetRequiredService<IGrainFactory>(), TimeProvider.System);
        var summary = await importer.ImportAsync(file, line => Console.Error.WriteLine(line), stop.Token);
        Console.Write(summary.Report());
        await host.StopAsync();
        return 0;
    }
}
