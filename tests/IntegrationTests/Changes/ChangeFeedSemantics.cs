using BotStateCluster.Grains;
using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using BotStateCluster.IntegrationTests.Lifecycle;
using BotStateCluster.IntegrationTests.Support;

namespace BotStateCluster.IntegrationTests.Changes;

/// <summary>
/// The change feed on a real backend, through the grains and the silos' storage: every acknowledged change has exactly
/// one event, of the right kind, and readers that resume from their cursors while writers race see each event once, in
/// each conversation's version order.
/// </summary>
public abstract class ChangeFeedSemantics(StateCluster cluster)
{
    private static string NewUserId(string purpose) => $"{purpose}-{Guid.NewGuid():N}";

    [Fact]
    public async Task EveryKindOfChangeHasOneEventWithTheStateItLeft()
    {
        var user = NewUserId("kinds");
        var grain = cluster.Grain(user);
        var first = await grain.ProcessMessageAsync(new IncomingMessage("hi"), VersionCondition.None);
        var second = await grain.ProcessMessageAsync(new IncomingMessage("again"), VersionCondition.None);
        var replaced = await grain.ReplaceAsync(first.Current!.State with { CurrentNode = "put" }, VersionCondition.None);
        // Changes that do not happen have no event: a failed precondition and a replayed turn.
        await grain.ProcessMessageAsync(new IncomingMessage("stale"), VersionCondition.OneOf(1));
        await grain.DeleteAsync(VersionCondition.None);
        await grain.DeleteAsync(VersionCondition.None);

        var events = await cluster.EventsOfAsync(user);

        Assert.Equal([ChangeKinds.Created, ChangeKinds.Updated, ChangeKinds.Updated, ChangeKinds.Erased], events.Select(change => change.Kind));
        Assert.Equal([1, 2, 3, 4], events.Select(change => change.Version));
        Assert.Equal(JsonNode.Parse(first.Current.Json)!.ToJsonString(), JsonNode.Parse(events[0].StateJson!)!.ToJsonString());
        Assert.Equal(JsonNode.Parse(second.Current!.Json)!.ToJsonString(), JsonNode.Parse(events[1].StateJson!)!.ToJsonString());
        Assert.Equal("put", JsonNode.Parse(events[2].StateJson!)!["current_node"]!.GetValue<string>());
        Assert.Equal(3, replaced.Current!.Version);
        Assert.Null(events[3].StateJson);
        Assert.Equal(ErasureReasons.Deleted, events[3].Reason);
        Assert.All(events.Take(3), change => Assert.Null(change.Reason));
        Assert.All(events, change => Assert.Equal(user, change.ThreadId));
        Assert.True(events.Zip(events.Skip(1)).All(pair => pair.First.At <= pair.Second.At));
    }

    [Fact]
    public async Task ErasuresSayWhyAndATurnAfterOneCreatesAgain()
    {
        var (erased, expired, imported) = (NewUserId("erased"), NewUserId("expired"), NewUserId("imported"));
        await cluster.Grain(erased).ProcessMessageAsync(new IncomingMessage("hi"), VersionCondition.None);
        Assert.True(await cluster.Grain(erased).EraseAsync());
        Assert.False(await cluster.Grain(erased).EraseAsync());
        await cluster.Grain(erased).ProcessMessageAsync(new IncomingMessage("back"), VersionCondition.None);

        var old = DateTimeOffset.UtcNow - TimeSpan.FromHours(3);
        Assert.True(await cluster.Grain(imported).ImportAsync(LifecycleHarness.State(imported, old - TimeSpan.FromHours(1))));
        Assert.True(await cluster.Grain(imported).ImportAsync(LifecycleHarness.State(imported, old)));
        Assert.True(await cluster.Grain(expired).ImportAsync(LifecycleHarness.State(expired, old)));
        Assert.True(await cluster.Grain(expired).ExpireAsync(DateTimeOffset.UtcNow - TimeSpan.FromHours(1)));

        var erasedEvents = await cluster.EventsOfAsync(erased);
        Assert.Equal([(ChangeKinds.Created, 1, null), (ChangeKinds.Erased, 2, ErasureReasons.ErasureRequest), (ChangeKinds.Created, 3, null)],
            erasedEvents.Select(change => (change.Kind, change.Version, change.Reason)));
        Assert.Equal([(ChangeKinds.Created, 1), (ChangeKinds.Updated, 2)], (await cluster.EventsOfAsync(imported)).Select(change => (change.Kind, change.Version)));
        Assert.Equal([(ChangeKinds.Created, 1, null), (ChangeKinds.Erased, 2, ErasureReasons.Expired)],
            (await cluster.EventsOfAsync(expired)).Select(change => (change.Kind, change.Version, change.Reason)));
    }

    [Fact]
    public async Task AnotherTenantsEventsAreNotInTheFeed()
    {
        var user = NewUserId("tenanted");
        var acme = TenantId.Parse("acme");
        await cluster.Cluster.Client.GetStateGrain(acme, UserId.Parse(user)).ProcessMessageAsync(new IncomingMessage("acme's"), VersionCondition.None);

        Assert.Empty(await cluster.EventsOfAsync(user));
        Assert.Equal([1], (await cluster.EventsOfAsync(user, acme)).Select(change => change.Version));
    }

    [Fact]
    public async Task ThirtyTwoWritersAndFourReadersResumingFromRandomCursorsSeeEveryEventOnceInVersionOrder()
    {
        const int Writers = 32;
        const int TurnsPerWriter = 12;
        // A tenant of its own: only this test's events are in its feed.
        var tenant = TenantId.Parse($"race-{Guid.NewGuid():N}"[..20]);
        var users = Enumerable.Range(0, Writers).Select(i => UserId.Parse($"writer-{i}")).ToList();
        var feed = cluster.Feed;

        // A few events first, so that readers can start from cursors in the middle of the feed.
        foreach (var user in users.Take(4))
        {
            await cluster.Cluster.Client.GetStateGrain(tenant, user).ProcessMessageAsync(new IncomingMessage("seed"), VersionCondition.None);
        }

        var seeded = await feed.ReadAsync(tenant, ChangeCursor.Start, 100, CancellationToken.None);
        Assert.Equal(4, seeded.Count);
        var random = new Random(25);
        var skipped = Enumerable.Range(0, 4).Select(_ => random.Next(0, 5)).ToArray();
        var starts = skipped.Select(count => count == 0 ? ChangeCursor.Start : seeded[count - 1].Cursor).ToArray();
        const int Total = 4 + Writers * TurnsPerWriter;

        var readers = starts.Select((start, reader) => Task.Run(() => ReadUntilAsync(feed, tenant, start, Total - skipped[reader], new Random(reader)))).ToList();
        await Task.WhenAll(users.Select(user => Task.Run(async () =>
        {
            var grain = cluster.Cluster.Client.GetStateGrain(tenant, user);
            for (var turn = 0; turn < TurnsPerWriter; turn++)
            {
                await grain.ProcessMessageAsync(new IncomingMessage($"turn {turn}"), VersionCondition.None);
            }
        })));
        var seen = await Task.WhenAll(readers);

        var all = await ReadAllAsync(feed, tenant, ChangeCursor.Start);
        Assert.Equal(Total, all.Count);
        for (var reader = 0; reader < starts.Length; reader++)
        {
            Assert.Equal(all.Skip(skipped[reader]).Select(change => change.Cursor), seen[reader].Select(change => change.Cursor));
            foreach (var conversation in seen[reader].GroupBy(change => change.ThreadId))
            {
                // Each conversation's versions in order, none skipped, up to its last turn.
                var versions = conversation.Select(change => change.Version).ToList();
                Assert.Equal(Enumerable.Range(versions[0], versions.Count), versions);
                Assert.Equal(users.Take(4).Any(user => user.Value == conversation.Key) ? TurnsPerWriter + 1 : TurnsPerWriter, versions[^1]);
            }
        }
    }

    // A reader holds nothing but its cursor, so resuming is reading on from it: pages of random sizes while the writers
    // race, until it has seen as many events as the writers made after its start (or fails at a deadline). Caught up,
    // it looks again after a short pause, so that it keeps reading while the writers race.
    private static async Task<List<ChangeEvent>> ReadUntilAsync(IChangeFeed feed, TenantId tenant, ChangeCursor start, int expected, Random random)
    {
        var seen = new List<ChangeEvent>();
        var cursor = start;
        await Poll.UntilAsync($"a reader to see {expected} events", TimeSpan.FromSeconds(90), async () =>
        {
            while (seen.Count < expected && await feed.ReadAsync(tenant, cursor, random.Next(1, 40), CancellationToken.None) is { Count: > 0 } page)
            {
                seen.AddRange(page);
                cursor = page[^1].Cursor;
            }

            return seen.Count >= expected;
        }, () => $"it saw {seen.Count}", interval: TimeSpan.FromMilliseconds(20));

        // Nothing more may come after the last one.
        Assert.Empty(await feed.ReadAsync(tenant, cursor, 10, CancellationToken.None));
        return seen;
    }

    private static async Task<List<ChangeEvent>> ReadAllAsync(IChangeFeed feed, TenantId tenant, ChangeCursor start)
    {
        var events = new List<ChangeEvent>();
        var cursor = start;
        while ((await feed.ReadAsync(tenant, cursor, 1000, CancellationToken.None)) is { Count: > 0 } page)
        {
            events.AddRange(page);
            cursor = page[^1].Cursor;
        }

        return events;
    }
}

[Collection(SqliteCluster.Name)]
public sealed class SqliteChangeFeedTests(SqliteClusterFixture fixture) : ChangeFeedSemantics(fixture.Cluster);

[Collection(PostgreSqlFeedCluster.Name)]
public sealed class PostgreSqlChangeFeedTests(PostgreSqlClusterFixture fixture) : ChangeFeedSemantics(fixture.Cluster);
