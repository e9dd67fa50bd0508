namespace BotStateCluster;

/// <summary>
/// Delivers one tenant's change feed to its webhook (DESIGN section 13): the one sender of that tenant in the cluster,
/// keyed by the tenant id. A silo that dies while delivering hands over: the next wake activates it on a live silo,
/// which goes on from the last delivered event.
/// </summary>
[Alias("BotState.IWebhookSenderGrain")]
public interface IWebhookSenderGrain : IGrainWithStringKey
{
    /// <summary>Starts delivering when the tenant has a webhook and the sender is not running yet; returns at once.</summary>
    [Alias("Wake")]
    Task WakeAsync();

    /// <summary>The deliveries that failed after the last try, oldest event first, at most <paramref name="limit"/>.</summary>
    [Alias("ListFailed")]
    Task<IReadOnlyList<FailedDelivery>> ListFailedAsync(int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Delivers failed deliveries again, those of <paramref name="ids"/> or all when null; returns how many are queued.
    /// They go out after the delivery in progress, each with the full set of tries again.
    /// </summary>
    [Alias("RetryFailed")]
    Task<int> RetryFailedAsync(IReadOnlyList<ChangeCursor>? ids, CancellationToken cancellationToken = default);
}

/// <summary>An event whose delivery failed after the last try: which, how often it was tried, and the last failure.</summary>
/// <param name="Id">The event's cursor, also its <c>webhook-id</c> (<c>evt_&lt;cursor&gt;</c>).</param>
/// <param name="ThreadId">The conversation's user id.</param>
/// <param name="Version">The event's version.</param>
/// <param name="Kind">The event's kind.</param>
/// <param name="Attempts">How many times it was sent.</param>
/// <param name="LastError">Why the last try failed: an HTTP status, a timeout, a connection failure.</param>
/// <param name="FailedAt">When the last try failed.</param>
[GenerateSerializer, Immutable, Alias("BotState.FailedDelivery")]
public sealed record FailedDelivery(
    [property: Id(0)] ChangeCursor Id,
    [property: Id(1)] string ThreadId,
    [property: Id(2)] int Version,
    [property: Id(3)] string Kind,
    [property: Id(4)] int Attempts,
    [property: Id(5)] string LastError,
    [property: Id(6)] DateTimeOffset FailedAt);

/// <summary>Gets webhook senders by tenant.</summary>
public static class WebhookSenderGrainFactoryExtensions
{
    /// <summary>The webhook sender of <paramref name="tenant"/>.</summary>
    public static IWebhookSenderGrain GetWebhookSender(this IGrainFactory grains, TenantId tenant) => grains.GetGrain<IWebhookSenderGrain>(tenant.Value);
}
