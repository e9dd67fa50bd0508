using BotStateCluster.ServiceDefaults;

namespace BotStateCluster.UnitTests;

public sealed class FailureLogThrottleTests
{
    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public void TheSameFailureIsLoggedOncePerIntervalWithTheCountOfTheOthers()
    {
        var clock = new ManualClock();
        var throttle = new FailureLogThrottle(clock);

        Assert.True(throttle.ShouldLog("db down", out var first));
        Assert.Equal(0, first);
        for (var i = 0; i < 50; i++)
        {
            Assert.False(throttle.ShouldLog("db down", out _));
        }

        clock.Now += FailureLogThrottle.Interval;
        Assert.True(throttle.ShouldLog("db down", out var suppressed));
        Assert.Equal(50, suppressed);
    }

    [Fact]
    public void DistinctFailuresAreEachLogged()
    {
        var throttle = new FailureLogThrottle(new ManualClock());

        Assert.True(throttle.ShouldLog("db down", out _));
        Assert.True(throttle.ShouldLog("db locked", out _));
        Assert.False(throttle.ShouldLog("db down", out _));
    }
}
