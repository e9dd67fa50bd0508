namespace BotStateCluster.Silo.Webhooks;

/// <summary>
/// Every silo wakes the sender of each tenant that has a webhook, every <see cref="Interval"/>, after re-reading the
/// webhooks in force: the sender is one grain per tenant, so all the silos wake the same one, and when its silo dies
/// the next wake activates it on a live silo.
/// </summary>
internal sealed partial class WebhookActivator(IGrainFactory grains, WebhookDirectory directory, TimeProvider clock, ILogger<WebhookActivator> logger) : BackgroundService
{
    /// <summary>How often senders are woken; with failure detection, how soon a sender is back after its silo died.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        do
        {
            directory.Reload();
            foreach (var tenant in directory.Tenants)
            {
                try
                {
                    await grains.GetWebhookSender(tenant).WakeAsync();
                }
                catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
                {
                    // The silo is starting or the cluster is changing: the next wake tries again.
                    LogWakeFailed(tenant.Value, exception.GetType().Name);
                }
            }
        }
        while (await timer.WaitForNextTickOrStopAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Waking the webhook sender of tenant {Tenant} failed ({ExceptionType}); the next wake tries again")]
    private partial void LogWakeFailed(string tenant, string exceptionType);
}
