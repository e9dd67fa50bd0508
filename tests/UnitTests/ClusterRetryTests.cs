using BotStateCluster.Api;

namespace BotStateCluster.UnitTests;

public sealed class ClusterRetryTests
{
    private sealed class ManualSignal : IClusterChangeSignal
    {
        private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task NextChange => _next.Task;

        public void Change() => Interlocked.Exchange(ref _next, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    [Fact]
    public async Task ACallRefusedByALeavingSiloIsTriedAgainOnlyOnceTheClusterChanged()
    {
        var signal = new ManualSignal();
        var retry = new ClusterRetry(signal);
        var attempts = 0;
        var refused = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var call = retry.OnceAsync(() =>
        {
            if (++attempts == 1)
            {
                refused.SetResult();
                throw new SiloUnavailableException("Silo stopping");
            }

            return Task.FromResult("answered");
        }, CancellationToken.None);

        await refused.Task;
        Assert.False(call.IsCompleted);
        Assert.Equal(1, attempts);

        signal.Change();
        Assert.Equal("answered", await call.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(2, attempts);
    }

    [Fact]
    public async Task ACallAbandonedAtAChangeIsTriedAgainAtOnce()
    {
        var signal = new ManualSignal();
        var retry = new ClusterRetry(signal);
        var attempts = 0;

        // The change comes while the first attempt is in flight, as a lost connection does.
        var answer = await retry.OnceAsync(() =>
        {
            if (++attempts == 1)
            {
                signal.Change();
                throw new SiloUnavailableException("A silo connection was lost while the call was in flight; it was abandoned.");
            }

            return Task.FromResult("answered");
        }, CancellationToken.None).WaitAsync(ClusterRetry.SettleTimeout / 2);

        Assert.Equal("answered", answer);
        Assert.Equal(2, attempts);
    }

    [Fact]
    public async Task AStorageFailureIsNotTriedAgain()
    {
        var retry = new ClusterRetry(new ManualSignal());
        var attempts = 0;

        await Assert.ThrowsAsync<StorageUnavailableException>(() => retry.OnceAsync<string>(() =>
        {
            attempts++;
            throw new StorageUnavailableException(StorageFailureKind.Timeout, "the database did not answer", 2);
        }, CancellationToken.None));
        Assert.Equal(1, attempts);
    }
}
