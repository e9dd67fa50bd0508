using BotStateCluster.Api;

namespace BotStateCluster.Silo;

/// <summary>The cluster changes, as a silo that serves the API sees them: any member's status changed.</summary>
internal sealed class SiloStatusChangeSignal : IClusterChangeSignal, ISiloStatusListener
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public SiloStatusChangeSignal(ISiloStatusOracle oracle) => oracle.SubscribeToSiloStatusEvents(this);

    public Task NextChange => Volatile.Read(ref _next).Task;

    public void SiloStatusChangeNotification(SiloAddress updatedSilo, SiloStatus status) =>
        Interlocked.Exchange(ref _next, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
