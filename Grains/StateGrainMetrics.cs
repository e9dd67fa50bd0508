using System.Diagnostics.Metrics;

namespace BotStateCluster.Grains;

/// <summary>
/// What the service counts, on the <c>BotState</c> meter; the silo exports it to Prometheus as
/// <c>botstate_turns_total{tenant, outcome}</c>, <c>botstate_retention_erased_total{kind}</c> (Prometheus counters) and
/// <c>botstate_retention_sweep_duration_seconds</c>. Labels are a fixed set or the tenant (bounded by the tenants API keys name), never a user id or a key.
/// </summary>
public static class StateGrainMetrics
{
    /// <summary>The meter's name, for exporters that filter by meter.</summary>
    public const string MeterName = "BotState";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Turns = Meter.CreateCounter<long>("turns", description: "Turns (POST …/messages) by outcome");

    /// <summary>The <c>kind</c> of an expired conversation (state and history, tombstone kept).</summary>
    public const string ErasedState = "state";

    /// <summary>The <c>kind</c> of a snapshot trimmed after <c>HISTORY_TTL</c>.</summary>
    public const string ErasedSnapshot = "snapshot";

    /// <summary>The <c>kind</c> of a tombstone purged after <c>TOMBSTONE_TTL</c>.</summary>
    public const string ErasedTombstone = "tombstone";

    /// <summary>The <c>kind</c> of a change feed event purged after <c>CHANGES_TTL</c>.</summary>
    public const string ErasedEvent = "event";

    private static readonly Counter<long> RetentionErased = Meter.CreateCounter<long>(
        "retention_erased", description: "What retention erased, by kind: state (expired conversations), snapshot, tombstone, event");

    private static readonly Histogram<double> SweepDuration = Meter.CreateHistogram<double>(
        "retention_sweep_duration_seconds", unit: "s", description: "How long one retention sweep took");

    /// <summary>Counts <paramref name="count"/> items of <paramref name="kind"/> erased by retention.</summary>
    public static void CountErased(string kind, long count = 1)
    {
        if (count > 0)
        {
            RetentionErased.Add(count, new KeyValuePair<string, object?>("kind", kind));
        }
    }

    /// <summary>Records the duration of one sweep.</summary>
    public static void RecordSweep(TimeSpan duration) => SweepDuration.Record(duration.TotalSeconds);

    /// <summary>Counts one turn of <paramref name="tenant"/> that ended with <paramref name="status"/>.</summary>
    public static void CountTurn(TenantId tenant, WriteStatus status, bool replayed) =>
        Turns.Add(
            1,
            new KeyValuePair<string, object?>("tenant", tenant.Value),
            new KeyValuePair<string, object?>("outcome", replayed ? "replayed" : status switch
            {
                WriteStatus.Created => "created",
                WriteStatus.Updated => "updated",
                WriteStatus.PreconditionFailed => "precondition_failed",
                WriteStatus.IdempotencyKeyReused => "idempotency_key_reused",
                _ => "other",
            }));
}
