using System.Diagnostics;
using BotStateCluster.ServiceDefaults;
using BotStateCluster.Silo.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace BotStateCluster.IntegrationTests.Storage;

public sealed class StorageGuardTests
{
    private static StorageGuard NewGuard() =>
        new(new FailureLogThrottle(TimeProvider.System), TimeProvider.System, NullLogger<StorageGuard>.Instance);

    [Fact]
    public async Task AnOperationThatHangsIsGivenUpAtTheDeadlineAndTheNextOnesFailAtOnce()
    {
        var guard = NewGuard();
        var hung = new TaskCompletionSource<int>();

        var clock = Stopwatch.StartNew();
        var timedOut = await Assert.ThrowsAsync<StorageUnavailableException>(() => guard.RunAsync("write", () => hung.Task));
        Assert.Equal(StorageFailureKind.Timeout, timedOut.Kind);
        Assert.InRange(clock.Elapsed, StorageGuard.Deadline - TimeSpan.FromMilliseconds(50), StorageGuard.Deadline + TimeSpan.FromSeconds(1));

        var tried = false;
        clock.Restart();
        var next = await Assert.ThrowsAsync<StorageUnavailableException>(() => guard.RunAsync("write", () =>
        {
            tried = true;
            return Task.FromResult(1);
        }));
        Assert.False(tried);
        Assert.True(clock.Elapsed < TimeSpan.FromMilliseconds(200), $"took {clock.Elapsed}");
        Assert.Equal(StorageFailureKind.Timeout, next.Kind);
        hung.SetResult(0);
    }

    [Fact]
    public async Task ASynchronouslyBlockingDriverIsGivenUpAtTheDeadlineToo()
    {
        // Microsoft.Data.Sqlite blocks its caller while a file is locked; the guard must not wait with it.
        using var release = new ManualResetEventSlim();
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAsync<StorageUnavailableException>(() => NewGuard().RunAsync("write", () =>
        {
            release.Wait(TimeSpan.FromSeconds(10));
            return Task.FromResult(1);
        }));

        Assert.True(clock.Elapsed < StorageGuard.Deadline + TimeSpan.FromSeconds(1), $"took {clock.Elapsed}");
        release.Set();
    }

    [Fact]
    public async Task DriverFailuresBecomeStorageUnavailableAndOtherFailuresStayAsTheyAre()
    {
        var guard = NewGuard();

        var locked = await Assert.ThrowsAsync<StorageUnavailableException>(() => guard.RunAsync<int>("write", () => throw new SqliteException("database is locked", 5)));
        Assert.Equal(StorageFailureKind.Locked, locked.Kind);
        await Assert.ThrowsAsync<InvalidOperationException>(() => guard.RunAsync<int>("write", () => throw new InvalidOperationException("a bug")));
        Assert.Equal(7, await guard.RunAsync("read", () => Task.FromResult(7)));
    }
}
