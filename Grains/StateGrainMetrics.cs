using System.Diagnostics.Metrics;

namespace BotStateCluster.Grains;

/// <summary>
/// What the state grains count, on the <c>BotState</c> meter; the silo exports it to Prometheus as
/// <c>botstate_turns_total{outcome}</c>, a Prometheus counter. Labels are a fixed set, never a user id.
/// </summary>
public static class StateGrainMetrics
{
    /// <summary>The meter's name, for exporters that filter by meter.</summary>
    public const string MeterName = "BotState";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Turns = Meter.CreateCounter<long>("turns", description: "Turns (POST …/messages) by outcome");

    /// <summary>Counts one turn that ended with <paramref name="status"/>.</summary>
    public static void CountTurn(WriteStatus status, bool replayed) =>
        Turns.Add(1, new KeyValuePair<string, object?>("outcome", replayed ? "replayed" : status switch
        {
            WriteStatus.Created => "created",
            WriteStatus.Updated => "updated",
            WriteStatus.PreconditionFailed => "precondition_failed",
            WriteStatus.IdempotencyKeyReused => "idempotency_key_reused",
            _ => "other",
        }));
}
