using System.Diagnostics.Metrics;

namespace BotStateCluster.Grains;

/// <summary>
/// What the service counts, on the <c>BotState</c> meter; the silo exports it to Prometheus as
/// <c>botstate_turns_total{tenant, outcome}</c>, <c>botstate_retention_erased_total{kind}</c> (Prometheus counters) and
/// <c>botstate_retention_sweep_duration_seconds</c>, and with encryption at rest <c>botstate_data_keys_created_total</c>,
/// <c>botstate_data_keys_shredded_total</c>, <c>botstate_data_key_unwrap_failures_total</c> and <c>botstate_integrity_errors_total</c>. Labels are a fixed set or the tenant (bounded by the tenants API keys name), never a user id or a key.
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

    private static readonly Counter<long> DataKeysCreated = Meter.CreateCounter<long>(
        "data_keys_created", description: "Data keys created (encryption at rest: one per conversation, with its first write)");

    private static readonly Counter<long> DataKeysShredded = Meter.CreateCounter<long>(
        "data_keys_shredded", description: "Data keys deleted by an erasure, which makes every copy of the conversation unreadable");

    private static readonly Counter<long> DataKeyUnwrapFailures = Meter.CreateCounter<long>(
        "data_key_unwrap_failures", description: "Wrapped data keys that did not unwrap under their master key (altered, or a wrong master key)");

    private static readonly Counter<long> IntegrityErrors = Meter.CreateCounter<long>(
        "integrity_errors", description: "Stored rows refused because they did not decrypt as their conversation's, or were plaintext where only ciphertext may be");

    /// <summary>Counts a data key created.</summary>
    public static void CountDataKeyCreated() => DataKeysCreated.Add(1);

    /// <summary>Counts a data key deleted.</summary>
    public static void CountDataKeyShredded() => DataKeysShredded.Add(1);

    /// <summary>Counts a wrapped data key that failed to unwrap.</summary>
    public static void CountUnwrapFailure() => DataKeyUnwrapFailures.Add(1);

    /// <summary>Counts a row refused by its integrity check.</summary>
    public static void CountIntegrityError() => IntegrityErrors.Add(1);

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
