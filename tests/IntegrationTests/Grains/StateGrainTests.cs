using System.Text.Json.Nodes;
using BotStateCluster.IntegrationTests.Support;

namespace BotStateCluster.IntegrationTests.Grains;

/// <summary>The grain's behaviour in a real test cluster persisting to SQLite.</summary>
[Collection(SqliteCluster.Name)]
public sealed class StateGrainTests(SqliteClusterFixture fixture)
{
    private readonly StateCluster _cluster = fixture.Cluster;

    private IStateGrain NewGrain() => _cluster.Grain($"u-{Guid.NewGuid():N}");

    [Fact]
    public async Task FiftyConcurrentTurnsOnOneUserAllLandInTheOrderEachCallerObserved()
    {
        var grain = NewGrain();
        var results = await Task.WhenAll(Enumerable.Range(1, 50).Select(i =>
            grain.ProcessMessageAsync(new IncomingMessage($"turn {i}", new JsonObject { [$"k{i}"] = i }), VersionCondition.None)));

        Assert.Equal(Enumerable.Range(1, 50), results.Select(result => result.Current!.Version).Order());
        var final = (await grain.GetAsync())!;
        Assert.Equal(50, final.Version);
        // Every turn's context key survived: no turn overwrote another's merge.
        Assert.Equal(50, final.State.Context.Count);

        var history = await grain.GetHistoryAsync(limit: 100);
        Assert.Equal(StateCluster.HistoryLimit, history.Items.Count);
        foreach (var item in history.Items)
        {
            // What the caller of version v saw is exactly what history holds for v.
            var observed = results.Single(result => result.Current!.Version == item.Version).Current!.State;
            Assert.Equal(observed.UserMessage!.Text, item.State.UserMessage!.Text);
        }
    }

    [Fact]
    public async Task ATurnOnAMissingStateCreatesItThenUpdates()
    {
        var grain = NewGrain();
        var created = await grain.ProcessMessageAsync(new IncomingMessage("hi", Channel: "web"), VersionCondition.None);
        var updated = await grain.ProcessMessageAsync(new IncomingMessage("again"), VersionCondition.None);

        Assert.Equal(WriteStatus.Created, created.Status);
        Assert.Equal("web", created.Current!.State.UserMessage!.Channel);
        Assert.Equal(WriteStatus.Updated, updated.Status);
        Assert.Equal(2, updated.Current!.Version);
        Assert.Equal(UserMessage.DefaultChannel, updated.Current.State.UserMessage!.Channel);
    }

    [Fact]
    public async Task AFailedPreconditionChangesNothing()
    {
        var grain = NewGrain();
        await grain.ProcessMessageAsync(new IncomingMessage("one"), VersionCondition.None);

        var stale = await grain.ProcessMessageAsync(new IncomingMessage("two"), VersionCondition.OneOf(7));
        var createOnly = await grain.ReplaceAsync(ConversationState.New(ConversationKey.FromGrainKey(grain.GetPrimaryKeyString()).User.Value, DateTimeOffset.UtcNow), VersionCondition.Absent);
        var staleDelete = await grain.DeleteAsync(VersionCondition.OneOf(7));

        Assert.All([stale, createOnly, staleDelete], result => Assert.Equal(WriteStatus.PreconditionFailed, result.Status));
        var current = (await grain.GetAsync())!;
        Assert.Equal(1, current.Version);
        Assert.Equal("one", current.State.UserMessage!.Text);
    }

    [Fact]
    public async Task AMatchingPreconditionWrites()
    {
        var grain = NewGrain();
        await grain.ProcessMessageAsync(new IncomingMessage("one"), VersionCondition.None);

        var written = await grain.ProcessMessageAsync(new IncomingMessage("two"), VersionCondition.OneOf(1));
        var mustExist = await grain.ProcessMessageAsync(new IncomingMessage("three"), VersionCondition.Exists);

        Assert.Equal(2, written.Current!.Version);
        Assert.Equal(3, mustExist.Current!.Version);
    }

    [Fact]
    public async Task ARepeatedIdempotencyKeyReturnsTheFirstResultEvenAfterLaterTurns()
    {
        var grain = NewGrain();
        var first = await grain.ProcessMessageAsync(new IncomingMessage("pay"), VersionCondition.None, "retry-me");
        await grain.ProcessMessageAsync(new IncomingMessage("later"), VersionCondition.None);

        var retried = await grain.ProcessMessageAsync(new IncomingMessage("pay"), VersionCondition.None, "retry-me");
        var reused = await grain.ProcessMessageAsync(new IncomingMessage("something else"), VersionCondition.None, "retry-me");

        Assert.True(retried.Replayed);
        Assert.Equal(first.Current!.Version, retried.Current!.Version);
        Assert.Equal("pay", retried.Current.State.UserMessage!.Text);
        Assert.Equal(WriteStatus.IdempotencyKeyReused, reused.Status);
        Assert.Equal(2, (await grain.GetAsync())!.Version);
    }

    [Fact]
    public async Task ActiveIntentIsTheIntentIdOrNull()
    {
        var grain = NewGrain();
        Assert.Null(await grain.GetActiveIntentAsync());

        var userId = ConversationKey.FromGrainKey(grain.GetPrimaryKeyString()).User.Value;
        await grain.ReplaceAsync(ConversationState.New(userId, DateTimeOffset.UtcNow) with { Intent = new JsonObject { ["id"] = "book_flight" } }, VersionCondition.None);
        Assert.Equal(new ActiveIntent(userId, "book_flight"), await grain.GetActiveIntentAsync());

        await grain.ReplaceAsync(ConversationState.New(userId, DateTimeOffset.UtcNow), VersionCondition.None);
        Assert.Equal(new ActiveIntent(userId, null), await grain.GetActiveIntentAsync());
    }

    [Fact]
    public async Task AGrainAddressedWithoutTheKeyPrefixRefusesToWork()
    {
        var raw = _cluster.Cluster.Client.GetGrain<IStateGrain>($"u-{Guid.NewGuid():N}");
        await Assert.ThrowsAnyAsync<ArgumentException>(() => raw.GetAsync());
    }

    [Fact]
    public async Task AReplacedStateMustBelongToTheGrainsUser()
    {
        var grain = NewGrain();
        await Assert.ThrowsAsync<ArgumentException>(() => grain.ReplaceAsync(ConversationState.New("someone-else", DateTimeOffset.UtcNow), VersionCondition.None));
        Assert.Null(await grain.GetAsync());
    }
}
