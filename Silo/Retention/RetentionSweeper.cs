using Microsoft.Extensions.Options;

namespace BotStateCluster.Silo.Retention;

/// <summary>
/// Every silo tries to sweep once at start and then every <c>RETENTION_SWEEP_INTERVAL</c>; the sweep lock
/// lets one of them run at a time, so when the sweeping silo dies another one takes over at its next try.
/// </summary>
internal sealed partial class RetentionSweeper(RetentionSweep sweep, IOptions<RetentionOptions> options, TimeProvider clock, ILogger<RetentionSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepEvery, clock);
        do
        {
            try
            {
                await sweep.RunAsync(stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogSweepFailed(exception);
            }
        }
        while (await timer.WaitForNextTickOrStopAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention sweep failed; the next one retries")]
    private partial void LogSweepFailed(Exception exception);
}
