using System.Diagnostics.Metrics;
using BotStateCluster.Grains;

namespace BotStateCluster.Silo.Webhooks;

/// <summary>
/// Webhook deliveries on the <c>BotState</c> meter, exported as <c>botstate_webhook_deliveries_total{tenant, outcome}</c>:
/// <c>delivered</c>, <c>retried</c> (a failed try another follows) and <c>failed</c> (the last try failed: listed in
/// failed deliveries).
/// </summary>
internal static class WebhookMetrics
{
    private static readonly Meter Meter = new(StateGrainMetrics.MeterName);

    private static readonly Counter<long> Deliveries = Meter.CreateCounter<long>(
        "webhook_deliveries", description: "Webhook deliveries by outcome: delivered, retried (a try failed, another follows), failed (after the last try)");

    public static void Count(TenantId tenant, string outcome) =>
        Deliveries.Add(1, new KeyValuePair<string, object?>("tenant", tenant.Value), new KeyValuePair<string, object?>("outcome", outcome));
}
