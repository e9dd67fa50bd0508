using Microsoft.Extensions.Diagnostics.HealthChecks;
using Prometheus;

namespace BotStateCluster.ServiceDefaults;

/// <summary>
/// Publishes the readiness checks as <c>botstate_ready</c> (1 when every check passes) and
/// <c>botstate_readiness_check{check}</c>, so that an alert sees a process that is up but not ready
/// (database gone, cluster lost) without probing it from outside.
/// </summary>
internal sealed class ReadinessMetricPublisher : IHealthCheckPublisher
{
    /// <summary>How often readiness is evaluated for the metric: within one scrape interval.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(10);

    /// <summary>How soon after start readiness is first evaluated.</summary>
    public static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(1);

    // Absent until first evaluated: a 0 before then would be a false alarm.
    private static readonly Gauge Ready = Metrics.CreateGauge(
        "botstate_ready", "1 when every readiness check of this process passes, else 0.", new GaugeConfiguration { SuppressInitialValue = true });

    private static readonly Gauge Check = Metrics.CreateGauge(
        "botstate_readiness_check", "1 when this readiness check passes, else 0.", new GaugeConfiguration { LabelNames = ["check"] });

    public Task PublishAsync(HealthReport report, CancellationToken cancellationToken)
    {
        Ready.Set(report.Status == HealthStatus.Unhealthy ? 0 : 1);
        foreach (var (name, entry) in report.Entries)
        {
            Check.WithLabels(name).Set(entry.Status == HealthStatus.Unhealthy ? 0 : 1);
        }

        return Task.CompletedTask;
    }
}
