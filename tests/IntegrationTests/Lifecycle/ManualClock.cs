namespace BotStateCluster.IntegrationTests.Lifecycle;

/// <summary>A clock the test moves by hand: retention's "now" without waiting for it.</summary>
public sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
