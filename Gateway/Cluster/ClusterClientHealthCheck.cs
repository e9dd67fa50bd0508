using BotStateCluster.ServiceDefaults;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace BotStateCluster.Gateway.Cluster;

/// <summary>
/// Readiness: the Orleans client reaches at least one silo. When it has lost them all, the check asks
/// the cluster itself (a management call within <c>READINESS_TIMEOUT</c>): the client reconnects only
/// when something sends, and an unready gateway receives no traffic that would.
/// </summary>
internal sealed class ClusterClientHealthCheck(
    ClusterConnectionTracker tracker,
    IHostApplicationLifetime lifetime,
    IGrainFactory grains,
    IOptions<ObservabilityOptions> observability) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!lifetime.ApplicationStarted.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("The cluster client is not connected yet.");
        }

        var gateways = tracker.ConnectedGateways;
        if (gateways != 0)
        {
            // -1: connected at start-up and no change reported since.
            return HealthCheckResult.Healthy(gateways > 0 ? $"Connected to {gateways} silo gateway(s)." : "Connected to the cluster.");
        }

        try
        {
            var hosts = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).WaitAsync(observability.Value.ReadinessTimeout, cancellationToken);
            return HealthCheckResult.Healthy($"Reconnected to a cluster of {hosts.Count} active silo(s).");
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"The cluster client lost every silo gateway ({exception.GetType().Name}).");
        }
    }
}
