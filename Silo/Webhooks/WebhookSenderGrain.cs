using BotStateCluster.Api;
using BotStateCluster.Grains;
using Microsoft.Extensions.Options;

namespace BotStateCluster.Silo.Webhooks;

/// <summary>
/// The one sender of a tenant's webhook in the cluster. It walks the tenant's change feed from where it stopped and
/// posts each event, in feed order (so in each conversation's version order), retrying a failed one with exponential
/// backoff up to <c>WEBHOOK_ATTEMPTS</c> tries and then listing it as failed; its position is stored after every event.
/// The walk runs beside the grain's calls, so asking it for its failures never waits for a slow receiver; each tenant
/// has its own sender, so one slow receiver delays no other tenant, and turns never wait for a delivery.
/// </summary>
internal sealed partial class WebhookSenderGrain(
    IChangeFeed feed,
    WebhookStore store,
    WebhookDirectory directory,
    WebhookDelivery delivery,
    IOptions<WebhookOptions> options,
    TimeProvider clock,
    ILogger<WebhookSenderGrain> logger) : Grain, IWebhookSenderGrain
{
    /// <summary>How often an idle sender looks for new events.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>How long a sender waits after its database failed before it tries again.</summary>
    public static readonly TimeSpan FailureBackoff = TimeSpan.FromSeconds(2);

    // How often the grain checks that its walk runs (and restarts it if it ended); also what keeps it activated.
    private static readonly TimeSpan KeeperInterval = TimeSpan.FromSeconds(1);

    private const int PageSize = 100;

    private readonly CancellationTokenSource _stop = new();
    private readonly Random _jitter = new();
    private TenantId _tenant;
    private Task? _walk;
    private IGrainTimer? _keeper;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _tenant = TenantId.Parse(this.GetPrimaryKeyString());
        return base.OnActivateAsync(cancellationToken);
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // A delivery cut short is delivered again by the next sender: the position moves only once an event is handled.
        await _stop.CancelAsync();
        if (_walk is not null)
        {
            await _walk.WaitAsync(cancellationToken).ContinueWith(static _ => { }, TaskScheduler.Current);
        }

        await base.OnDeactivateAsync(reason, cancellationToken);
    }

    Task IWebhookSenderGrain.WakeAsync()
    {
        Keep();
        return Task.CompletedTask;
    }

    Task<IReadOnlyList<FailedDelivery>> IWebhookSenderGrain.ListFailedAsync(int limit, CancellationToken cancellationToken) =>
        store.ListFailuresAsync(_tenant, limit, cancellationToken);

    async Task<int> IWebhookSenderGrain.RetryFailedAsync(IReadOnlyList<ChangeCursor>? ids, CancellationToken cancellationToken)
    {
        var marked = await store.RequestRetryAsync(_tenant, ids, cancellationToken);
        Keep();
        return marked;
    }

    // Starts the walk when the tenant has a webhook and it does not run; lets the grain go when the tenant has none.
    private void Keep()
    {
        if (directory.For(_tenant) is null)
        {
            _keeper?.Dispose();
            _keeper = null;
            DeactivateOnIdle();
            return;
        }

        _keeper ??= this.RegisterGrainTimer(_ =>
        {
            Keep();
            return Task.CompletedTask;
        }, new GrainTimerCreationOptions(KeeperInterval, KeeperInterval) { Interleave = true, KeepAlive = true });
        if (_walk is null || _walk.IsCompleted)
        {
            // Started on the grain's own scheduler: the walk and the grain's calls take turns, never run at once.
            _walk = WalkAsync(_stop.Token);
            LogStarted(_tenant.Value);
        }
    }

    private async Task WalkAsync(CancellationToken stop)
    {
        ChangeCursor? cursor = null;
        while (!stop.IsCancellationRequested && directory.For(_tenant) is not null)
        {
            try
            {
                cursor ??= await store.ReadCursorAsync(_tenant, stop) ?? ChangeCursor.Start;
                await RetryRequestedAsync(stop);
                var events = await feed.ReadAsync(_tenant, cursor.Value, PageSize, stop);
                if (events.Count == 0)
                {
                    await Task.Delay(PollInterval, clock, stop);
                    continue;
                }

                foreach (var change in events)
                {
                    var (delivered, attempts, error) = await DeliverAsync(change, stop);
                    if (!delivered)
                    {
                        await store.RecordFailureAsync(_tenant, change, attempts, error!, stop);
                    }

                    cursor = change.Cursor;
                    await store.SaveCursorAsync(_tenant, change.Cursor, stop);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                LogWalkFailed(_tenant.Value, exception.GetType().Name);
                try
                {
                    await Task.Delay(FailureBackoff, clock, stop);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    // Failed deliveries asked for again (RetryFailedAsync), each with its full set of tries.
    private async Task RetryRequestedAsync(CancellationToken stop)
    {
        foreach (var id in await store.RetriesRequestedAsync(_tenant, PageSize, stop))
        {
            if (await feed.ReadOneAsync(_tenant, id, stop) is not { } change)
            {
                // Purged with the feed (CHANGES_TTL): there is nothing left to deliver.
                await store.DeleteFailureAsync(_tenant, id, stop);
                continue;
            }

            var (delivered, attempts, error) = await DeliverAsync(change, stop);
            if (delivered)
            {
                await store.DeleteFailureAsync(_tenant, id, stop);
            }
            else
            {
                await store.RecordFailureAsync(_tenant, change, attempts, error!, stop);
            }
        }
    }

    private async Task<(bool Delivered, int Attempts, string? Error)> DeliverAsync(ChangeEvent change, CancellationToken stop)
    {
        var id = $"evt_{change.Cursor.Encode()}";
        var body = ChangeEventJson.ToUtf8(change);
        var settings = options.Value;
        string? error = null;
        for (var attempt = 1; attempt <= settings.Attempts; attempt++)
        {
            // Read at each try: a webhook changed in the key file takes effect at the next one.
            var endpoint = directory.For(_tenant) ?? throw new OperationCanceledException("The tenant's webhook was removed.", stop);
            var outcome = await delivery.SendAsync(endpoint, id, body, stop);
            if (outcome.Delivered)
            {
                WebhookMetrics.Count(_tenant, "delivered");
                return (true, attempt, null);
            }

            error = outcome.Error;
            if (attempt < settings.Attempts)
            {
                WebhookMetrics.Count(_tenant, "retried");
                await Task.Delay(settings.DelayAfter(attempt, _jitter), clock, stop);
            }
        }

        WebhookMetrics.Count(_tenant, "failed");
        LogFailed(_tenant.Value, settings.Attempts, error!);
        return (false, settings.Attempts, error);
    }

    // Logs name the tenant, never a user id, a URL or a secret.
    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook sender of tenant {Tenant} started on this silo")]
    private partial void LogStarted(string tenant);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A webhook delivery of tenant {Tenant} failed after {Attempts} tries ({Error}); listed in its failed deliveries")]
    private partial void LogFailed(string tenant, int attempts, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The webhook sender of tenant {Tenant} failed ({ExceptionType}); it goes on shortly")]
    private partial void LogWalkFailed(string tenant, string exceptionType);
}
