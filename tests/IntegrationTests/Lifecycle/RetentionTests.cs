using System.Text.Json.Nodes;
using BotStateCluster.IntegrationTests.Support;
using BotStateCluster.Silo.Retention;

namespace BotStateCluster.IntegrationTests.Lifecycle;

/// <summary>
/// Retention on a real backend: old data is dated in the past by importing it, and the sweep runs on a
/// clock the test sets, so nothing waits for time to pass.
/// </summary>
public abstract class RetentionTests(StateCluster cluster)
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    private IStateGrain Grain(string userId) => cluster.Grain(userId);

    private static string NewUserId(string purpose) => $"{purpose}-{Guid.NewGuid():N}";

    [Fact]
    public async Task ASweepErasesIdleConversationsTrimsOldSnapshotsThenPurgesTombstonesAfterTheirTtl()
    {
        var now = DateTimeOffset.UtcNow;
        var (idle, busy, deleted, aged) = (NewUserId("idle"), NewUserId("busy"), NewUserId("deleted"), NewUserId("aged"));
        Assert.True(await Grain(idle).ImportAsync(LifecycleHarness.State(idle, now - 3 * Hour)));
        await Grain(busy).ProcessMessageAsync(new IncomingMessage("hi"), VersionCondition.None);
        await Grain(deleted).ProcessMessageAsync(new IncomingMessage("bye"), VersionCondition.None);
        await Grain(deleted).DeleteAsync(VersionCondition.None);
        foreach (var age in new[] { 5 * Hour, 4 * Hour, TimeSpan.FromMinutes(1) })
        {
            Assert.True(await Grain(aged).ImportAsync(LifecycleHarness.State(aged, now - age)));
        }

        var clock = new ManualClock(now);
        var first = await LifecycleHarness.Sweep(cluster, new RetentionOptions { StateTtl = "1h", HistoryTtl = "2h" }, clock).RunAsync(CancellationToken.None);

        Assert.NotNull(first);
        Assert.True(first.States >= 1, $"expected the idle conversation expired: {first}");
        Assert.True(first.Snapshots >= 2, $"expected two old snapshots trimmed: {first}");
        Assert.Equal(0, first.Failed);
        Assert.Null(await Grain(idle).GetAsync());
        Assert.Empty((await Grain(idle).GetHistoryAsync(10)).Items);
        Assert.NotNull(await Grain(busy).GetAsync());
        Assert.NotNull(await Grain(aged).GetAsync());
        Assert.Equal([3], (await Grain(aged).GetHistoryAsync(10)).Items.Select(item => item.Version));
        // The erased conversation is a tombstone until TOMBSTONE_TTL: its version keeps counting.
        Assert.Equal(1, await Sql.CountAsync(cluster.Backend.Target, "SELECT COUNT(*) FROM states WHERE user_id = @u AND state IS NULL AND version = 2", ("u", idle)));

        var early = await LifecycleHarness.Sweep(cluster, new RetentionOptions(), clock).RunAsync(CancellationToken.None);
        // The tombstone, and the feed's two events (created, then erased) until CHANGES_TTL.
        Assert.Equal(3, await LifecycleHarness.RowsNamingAsync(cluster, idle));
        Assert.Equal(3, await LifecycleHarness.RowsNamingAsync(cluster, deleted));

        clock.Now = now + TimeSpan.FromDays(30) + TimeSpan.FromMinutes(1);
        var late = await LifecycleHarness.Sweep(cluster, new RetentionOptions(), clock).RunAsync(CancellationToken.None);

        Assert.True(late!.Tombstones >= 2, $"expected both tombstones purged: {late} (earlier: {early})");
        Assert.Equal(0, await LifecycleHarness.RowsNamingAsync(cluster, idle));
        Assert.Equal(0, await LifecycleHarness.RowsNamingAsync(cluster, deleted));
        Assert.NotNull(await Grain(busy).GetAsync());
    }

    [Fact]
    public async Task AfterChangesTtlTheFeedHoldsNothingOfAnErasedUserThoughItsTombstoneStays()
    {
        var now = DateTimeOffset.UtcNow;
        var (erased, kept) = (NewUserId("forgotten"), NewUserId("recent"));
        await Grain(erased).ProcessMessageAsync(new IncomingMessage("my secret"), VersionCondition.None);
        await Grain(erased).DeleteAsync(VersionCondition.None);
        var erasure = (await cluster.EventsOfAsync(erased))[^1];
        Assert.Equal((ChangeKinds.Erased, ErasureReasons.Deleted, (string?)null), (erasure.Kind, erasure.Reason, erasure.StateJson));

        var sweep = await LifecycleHarness.Sweep(cluster, new RetentionOptions(), new ManualClock(now + TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1))).RunAsync(CancellationToken.None);
        await Grain(kept).ProcessMessageAsync(new IncomingMessage("after the sweep"), VersionCondition.None);

        Assert.True(sweep!.Events >= 2, $"expected the erased user's events purged: {sweep}");
        Assert.Empty(await cluster.EventsOfAsync(erased));
        Assert.Equal(0, await Sql.CountAsync(cluster.Backend.Target, "SELECT COUNT(*) FROM changes WHERE user_id = @u", ("u", erased)));
        Assert.Equal(1, await LifecycleHarness.RowsNamingAsync(cluster, erased));
        Assert.Single(await cluster.EventsOfAsync(kept));
    }

    [Fact]
    public async Task AConversationTouchedAfterTheSweepReadItStays()
    {
        var now = DateTimeOffset.UtcNow;
        var user = NewUserId("touched");
        await Grain(user).ImportAsync(LifecycleHarness.State(user, now - 3 * Hour));
        // The sweep's batch saw the old date; the grain decides on what it holds when the expiry arrives.
        await Grain(user).ProcessMessageAsync(new IncomingMessage("still here"), VersionCondition.None);

        Assert.False(await Grain(user).ExpireAsync(now - Hour));
        Assert.Equal(2, (await Grain(user).GetAsync())!.Version);
    }

    [Fact]
    public async Task TurnsRacingTheSweepEitherLandOrFindTheConversationErasedNeverHalfOfEach()
    {
        const int Users = 24;
        const int TurnsPerUser = 8;
        var now = DateTimeOffset.UtcNow;
        var users = Enumerable.Range(0, Users).Select(i => NewUserId($"race{i}")).ToList();
        foreach (var user in users)
        {
            await Grain(user).ImportAsync(LifecycleHarness.State(user, now - 2 * Hour, new JsonObject { ["context"] = new JsonObject { ["seed"] = true } }));
        }

        var sweep = LifecycleHarness.Sweep(cluster, new RetentionOptions { StateTtl = "1h" }, new ManualClock(now)).RunAsync(CancellationToken.None);
        var turns = users.ToDictionary(user => user, user => Enumerable.Range(0, TurnsPerUser).Select(i =>
            Grain(user).ProcessMessageAsync(new IncomingMessage($"t{i}", new JsonObject { [$"k{i}"] = i }), VersionCondition.None)).ToList());
        await Task.WhenAll(turns.Values.SelectMany(tasks => tasks).Cast<Task>().Append(sweep));

        foreach (var (user, tasks) in turns)
        {
            var results = tasks.Select((task, i) => (Key: $"k{i}", task.Result.Current!)).ToList();
            var final = (await Grain(user).GetAsync())!;
            var erased = !final.State.Context.ContainsKey("seed");
            var versions = results.Select(result => result.Item2.Version).Order().ToList();
            Assert.Equal(versions.Distinct(), versions);
            Assert.Equal(versions[^1], final.Version);
            // The tombstone took the one version no turn got: turns below it were erased with the seed, turns above start afresh.
            var gap = erased ? Enumerable.Range(2, versions[^1] - 1).Single(v => !versions.Contains(v)) : 1;
            foreach (var (key, state) in results)
            {
                var after = state.Version > gap;
                Assert.True(after == final.State.Context.ContainsKey(key), $"{user}: turn {key} at version {state.Version}, tombstone at {gap}: {final.State.Context.ToJsonString()}");
                Assert.True(state.State.Context.ContainsKey("seed") == !(erased && after), $"{user}: turn {key} saw a half-erased conversation");
            }

            var history = await Grain(user).GetHistoryAsync(100);
            Assert.All(history.Items, item => Assert.True(erased ? item.Version > gap && !item.State.Context.ContainsKey("seed") : item.State.Context.ContainsKey("seed"), $"{user}: snapshot {item.Version} outlived the erasure at {gap}"));
        }

        Assert.Equal(0, (await sweep)!.Failed);
    }
}

[Collection(SqliteCluster.Name)]
public sealed class SqliteRetentionTests(SqliteClusterFixture fixture) : RetentionTests(fixture.Cluster);

[Collection(PostgreSqlFeedCluster.Name)]
public sealed class PostgreSqlRetentionTests(PostgreSqlClusterFixture fixture) : RetentionTests(fixture.Cluster);
