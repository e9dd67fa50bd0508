namespace BotStateCluster.Silo;

/// <summary>The loop of the silo's periodic background services.</summary>
internal static class PeriodicTimers
{
    /// <summary>Waits for the next tick; false once the service is stopping, instead of an exception.</summary>
    public static async Task<bool> WaitForNextTickOrStopAsync(this PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
