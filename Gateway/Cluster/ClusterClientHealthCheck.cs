using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BotStateCluster.Gateway.Cluster;

/// <summary>Readiness: the Orleans client reaches at least one silo.</summary>
internal sealed class ClusterClientHealthCheck(ClusterConnectionTracker tracker, IHostApplicationLifetime lifetime) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        // The client connects while the host starts, so once started and with no loss reported it is connected.
        var started = lifetime.ApplicationStarted.IsCancellationRequested;
        var gateways = tracker.ConnectedGateways;
        return Task.FromResult(started && gateways != 0
            ? HealthCheckResult.Healthy(gateways > 0 ? $"Connected to {gateways} silo gateway(s)." : "Connected to the cluster.")
            : HealthCheckResult.Unhealthy(started ? "The cluster client lost every silo gateway." : "The cluster client is not connected yet."));
    }
}
