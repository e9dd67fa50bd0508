namespace BotStateCluster.Gateway.Cluster;

/// <summary>Follows how many silo gateways the Orleans client is connected to, for readiness.</summary>
internal sealed class ClusterConnectionTracker : IClusterConnectionStatusObserver
{
    private int _connectedGateways = -1;

    /// <summary>Gateways connected now; -1 until the client reported any change (it connected at start).</summary>
    public int ConnectedGateways => Volatile.Read(ref _connectedGateways);

    public void NotifyGatewayCountChanged(int currentNumberOfGateways, int previousNumberOfGateways, bool connectionRecovered) =>
        Volatile.Write(ref _connectedGateways, currentNumberOfGateways);

    public void NotifyClusterConnectionLost() => Volatile.Write(ref _connectedGateways, 0);
}
