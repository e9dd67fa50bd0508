namespace BotStateCluster.Gateway.Cluster;

/// <summary>
/// A state-grain call in flight when the client loses a silo connection fails at once with
/// <see cref="SiloUnavailableException"/>, which the API retries once and otherwise answers 503, instead of
/// waiting out the grain-call timeout for a reply that a killed silo will never send.
/// </summary>
/// <remarks>
/// The client cannot tell which silo hosted the grain, so every call in flight at the loss is cut short; the
/// cost is a repeated call, which is safe: reads are, and every turn carries an idempotency key. A write that
/// is not retried answers 503 and may still have been stored; nothing was acknowledged.
/// </remarks>
internal sealed class SiloLossFilter(ClusterConnectionTracker tracker) : IOutgoingGrainCallFilter
{
    public async Task Invoke(IOutgoingGrainCallContext context)
    {
        if (context.Grain is not IStateGrain)
        {
            await context.Invoke();
            return;
        }

        var loss = tracker.NextConnectionLoss;
        var call = context.Invoke();
        if (await Task.WhenAny(call, loss) != call)
        {
            // The abandoned call ends later with its own timeout or answer; nobody waits for it.
            _ = call.ContinueWith(static abandoned => _ = abandoned.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            throw new SiloUnavailableException("A silo connection was lost while the call was in flight; it was abandoned.");
        }

        await call;
    }
}
