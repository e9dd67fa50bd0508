using BotStateCluster.Api;

namespace BotStateCluster.Gateway.Cluster;

/// <summary>
/// Follows the Orleans client's connections to silo gateways: how many there are, for readiness, and when one
/// is lost, so that calls in flight can give up on a silo that died instead of waiting out their timeout, and a call that a
/// leaving silo refused is tried again once the silo is gone (it closes its connections after it is marked dead).
/// </summary>
internal sealed class ClusterConnectionTracker : IClusterConnectionStatusObserver, IClusterChangeSignal
{
    private int _connectedGateways = -1;
    private TaskCompletionSource _nextLoss = NewSignal();

    /// <summary>Gateways connected now; -1 until the client reported any change (it connected at start).</summary>
    public int ConnectedGateways => Volatile.Read(ref _connectedGateways);

    /// <summary>Completes when the client next loses a connection to a silo (a crash resets it at once).</summary>
    public Task NextConnectionLoss => Volatile.Read(ref _nextLoss).Task;

    Task IClusterChangeSignal.NextChange => NextConnectionLoss;

    public void NotifyGatewayCountChanged(int currentNumberOfGateways, int previousNumberOfGateways, bool connectionRecovered)
    {
        Volatile.Write(ref _connectedGateways, currentNumberOfGateways);
        if (currentNumberOfGateways < previousNumberOfGateways)
        {
            SignalLoss();
        }
    }

    public void NotifyClusterConnectionLost()
    {
        Volatile.Write(ref _connectedGateways, 0);
        SignalLoss();
    }

    private void SignalLoss() => Interlocked.Exchange(ref _nextLoss, NewSignal()).TrySetResult();

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
