using System.Diagnostics;
using Prometheus;

namespace BotStateCluster.Gateway.Cluster;

/// <summary>
/// Times every grain call the gateway makes, by operation and outcome, as
/// <c>botstate_grain_call_duration_seconds</c>: what the HTTP latency is made of.
/// </summary>
internal sealed class GrainCallMetricsFilter : IOutgoingGrainCallFilter
{
    private static readonly Histogram Duration = Metrics.CreateHistogram(
        "botstate_grain_call_duration_seconds",
        "Duration of grain calls made by the gateway.",
        new HistogramConfiguration
        {
            LabelNames = ["operation", "outcome"],
            Buckets = Histogram.ExponentialBuckets(0.0005, 2, 16),
        });

    public async Task Invoke(IOutgoingGrainCallContext context)
    {
        // The client's own system calls (cluster manifest, gateways) are not what the API waits on.
        if (context.Grain is not IStateGrain)
        {
            await context.Invoke();
            return;
        }

        var started = Stopwatch.GetTimestamp();
        var outcome = "ok";
        try
        {
            await context.Invoke();
        }
        catch
        {
            outcome = "error";
            throw;
        }
        finally
        {
            Duration.WithLabels(context.MethodName, outcome).Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }
}
