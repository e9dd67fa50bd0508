using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;

namespace BotStateCluster.EndToEndTests;

/// <summary>
/// GET /v1/changes on real processes: 32 writers spread over every API of the service and 4 readers, each resuming from
/// a random cursor with pages of random sizes, see every event exactly once, in each conversation's version order,
/// none skipped; a long poll answers as soon as something is written; bad queries are 400s.
/// </summary>
public abstract class ChangeFeedTests<TServices>(TServices services) : IClassFixture<TServices>
    where TServices : ChangeFeedServices
{
    private const int Writers = 32;
    private const int TurnsPerWriter = 8;
    private const int Readers = 4;
    private static readonly TimeSpan ReadDeadline = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task ThirtyTwoWritersAndFourReadersResumingFromRandomCursorsSeeEveryEventOnceInVersionOrder()
    {
        var apis = services.Apis;
        var run = Guid.NewGuid().ToString("N")[..8];
        var users = Enumerable.Range(0, Writers).Select(i => $"feed-{run}-{i}").ToList();
        var before = await ReadAllAsync(apis[0], null);
        var origin = before.Count > 0 ? before[^1]["cursor"]!.GetValue<string>() : null;

        // A first turn of four writers, so that readers can start from cursors in the middle of this run's events.
        foreach (var user in users.Take(4))
        {
            (await apis[0].PostMessageAsync(user, "seed")).ShouldBe(HttpStatusCode.OK);
        }

        var seeded = await ReadAllAsync(apis[0], origin);
        Assert.Equal(users.Take(4), seeded.Select(change => change["thread_id"]!.GetValue<string>()));
        var random = new Random(25);
        var skipped = Enumerable.Range(0, Readers).Select(_ => random.Next(0, 5)).ToArray();
        var starts = skipped.Select(count => count == 0 ? origin : seeded[count - 1]["cursor"]!.GetValue<string>()).ToArray();
        const int Total = 4 + Writers * TurnsPerWriter;

        var readers = Enumerable.Range(0, Readers)
            .Select(reader => Task.Run(() => ReadUntilAsync(apis[reader % apis.Count], starts[reader], Total - skipped[reader], new Random(reader))))
            .ToList();
        await Task.WhenAll(users.Select((user, writer) => Task.Run(async () =>
        {
            var api = apis[writer % apis.Count];
            for (var turn = 0; turn < TurnsPerWriter; turn++)
            {
                (await api.PostMessageAsync(user, $"turn {turn}", new JsonObject { [$"t{turn}"] = turn })).ShouldBe(HttpStatusCode.OK);
            }
        })));
        var seen = await Task.WhenAll(readers);

        var all = await ReadAllAsync(apis[^1], origin);
        Assert.Equal(Total, all.Count);
        for (var reader = 0; reader < Readers; reader++)
        {
            Assert.Equal(all.Skip(skipped[reader]).Select(Cursor), seen[reader].Select(Cursor));
            foreach (var conversation in seen[reader].GroupBy(change => change["thread_id"]!.GetValue<string>()))
            {
                var versions = conversation.Select(change => change["version"]!.GetValue<int>()).ToList();
                Assert.Equal(Enumerable.Range(versions[0], versions.Count), versions);
                Assert.Equal(users.IndexOf(conversation.Key) < 4 ? TurnsPerWriter + 1 : TurnsPerWriter, versions[^1]);
            }
        }

        Assert.All(all, change => Assert.Equal(change["version"]!.GetValue<int>() == 1 ? "created" : "updated", change["kind"]!.GetValue<string>()));
    }

    [Fact]
    public async Task ALongPollAnswersAsSoonAsAChangeIsStoredAndAfterItsWaitWithNothing()
    {
        var api = services.Apis[0];
        var user = ApiClient.NewUserId("poll");
        var latest = (await api.SendAsync(HttpMethod.Get, "/v1/changes?limit=1000")).ShouldBe(HttpStatusCode.OK).Json;
        var cursor = latest["next_cursor"]!.GetValue<string>();
        while (latest["items"]!.AsArray().Count == 1000)
        {
            latest = (await api.SendAsync(HttpMethod.Get, $"/v1/changes?limit=1000&cursor={cursor}")).ShouldBe(HttpStatusCode.OK).Json;
            cursor = latest["next_cursor"]!.GetValue<string>();
        }

        var clock = Stopwatch.StartNew();
        var empty = (await api.SendAsync(HttpMethod.Get, $"/v1/changes?cursor={cursor}&wait=1")).ShouldBe(HttpStatusCode.OK).Json;
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.9), $"answered after {clock.Elapsed}");
        Assert.Empty(empty["items"]!.AsArray());
        Assert.Equal(cursor, empty["next_cursor"]!.GetValue<string>());

        clock.Restart();
        var poll = services.Apis[^1].SendAsync(HttpMethod.Get, $"/v1/changes?cursor={cursor}&wait=30");
        (await api.PostMessageAsync(user, "wake up")).ShouldBe(HttpStatusCode.OK);
        var woken = (await poll).ShouldBe(HttpStatusCode.OK).Json;
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"answered after {clock.Elapsed}");
        var change = Assert.Single(woken["items"]!.AsArray(), item => item!["thread_id"]!.GetValue<string>() == user)!;
        Assert.Equal("created", change["kind"]!.GetValue<string>());
        Assert.Equal("wake up", change["state"]!["user_message"]!["text"]!.GetValue<string>());
        Assert.Null(change["reason"]);
    }

    [Fact]
    public async Task AnErasureEventHasItsReasonAndNoState()
    {
        var api = services.Apis[0];
        var user = ApiClient.NewUserId("gone");
        (await api.PostMessageAsync(user, "secret")).ShouldBe(HttpStatusCode.OK);
        (await api.DeleteStateAsync(user)).ShouldBe(HttpStatusCode.NoContent);

        var events = (await ReadAllAsync(api, null)).Where(change => change["thread_id"]!.GetValue<string>() == user).ToList();

        Assert.Equal(["created", "erased"], events.Select(change => change["kind"]!.GetValue<string>()));
        Assert.Equal("deleted", events[1]["reason"]!.GetValue<string>());
        Assert.False(events[1].ContainsKey("state"));
        Assert.Equal(2, events[1]["version"]!.GetValue<int>());
    }

    [Fact]
    public async Task TheStreamSendsEachEventOnceAndGoesOnAfterTheLastEventIdOnAnotherProcess()
    {
        var (api, other) = (services.Apis[0], services.Apis[^1]);
        var user = ApiClient.NewUserId("stream");
        var before = await ReadAllAsync(api, null);
        var origin = before.Count > 0 ? Cursor(before[^1]) : ChangeCursorOfStart;
        static bool Mine(JsonObject change, string user) => change["thread_id"]!.GetValue<string>() == user;

        List<(string Id, JsonObject Data)> first;
        using (var stream = await EventStream.OpenAsync(api.Http, $"/v1/changes/stream?cursor={origin}"))
        {
            Assert.Equal("text/event-stream", stream.Response.Content.Headers.ContentType?.MediaType);
            for (var turn = 1; turn <= 3; turn++)
            {
                (await other.PostMessageAsync(user, $"turn {turn}")).ShouldBe(HttpStatusCode.OK);
            }

            first = await stream.ReadUntilAsync(events => events.Count(change => Mine(change.Data, user)) == 3, TimeSpan.FromSeconds(30));
        }

        for (var turn = 4; turn <= 5; turn++)
        {
            (await other.PostMessageAsync(user, $"turn {turn}")).ShouldBe(HttpStatusCode.OK);
        }

        // Reconnected as EventSource does, to the same URL with the last id received: Last-Event-ID wins over cursor.
        using var resumed = await EventStream.OpenAsync(other.Http, $"/v1/changes/stream?cursor={origin}", first[^1].Id);
        var second = await resumed.ReadUntilAsync(events => events.Count(change => Mine(change.Data, user)) == 2, TimeSpan.FromSeconds(30));

        var all = first.Concat(second).ToList();
        Assert.All(all, change => Assert.Equal(change.Id, Cursor(change.Data)));
        Assert.Equal(all.Select(change => change.Id).Distinct(), all.Select(change => change.Id));
        Assert.Equal([1, 2, 3, 4, 5], all.Where(change => Mine(change.Data, user)).Select(change => change.Data["version"]!.GetValue<int>()));
        Assert.Equal((await ReadAllAsync(api, origin)).Select(Cursor), all.Select(change => change.Id));
    }

    [Theory]
    [InlineData("/v1/changes/stream?cursor=nope", null)]
    [InlineData("/v1/changes/stream", "nope")]
    public async Task AStreamFromABadCursorIsA400(string path, string? lastEventId)
    {
        using var stream = await EventStream.OpenAsync(services.Apis[0].Http, path, lastEventId);
        Assert.Equal(HttpStatusCode.BadRequest, stream.Response.StatusCode);
        Assert.Equal("application/problem+json", stream.Response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("?cursor=nope")]
    [InlineData("?limit=0")]
    [InlineData("?limit=1001")]
    [InlineData("?wait=31")]
    [InlineData("?wait=-1")]
    [InlineData("?wait=1.5")]
    public async Task ABadQueryIsA400(string query) =>
        (await services.Apis[0].SendAsync(HttpMethod.Get, "/v1/changes" + query)).ShouldBeProblem(HttpStatusCode.BadRequest);

    private static string Cursor(JsonObject change) => change["cursor"]!.GetValue<string>();

    // What ChangeCursor.Start encodes: before every event.
    private static readonly string ChangeCursorOfStart = ChangeCursor.Start.Encode();

    // A reader holds nothing but its cursor, which it sends with every request: resuming is reading on from it. Pages of
    // random sizes, each a long poll, until it has seen as many events as were written after its start.
    private static async Task<List<JsonObject>> ReadUntilAsync(ApiClient api, string? start, int expected, Random random)
    {
        var clock = Stopwatch.StartNew();
        var seen = new List<JsonObject>();
        var cursor = start;
        while (seen.Count < expected)
        {
            Assert.True(clock.Elapsed < ReadDeadline, $"a reader saw {seen.Count} of {expected} events in {ReadDeadline.TotalSeconds} s");
            var page = (await api.SendAsync(HttpMethod.Get, $"/v1/changes?limit={random.Next(1, 50)}&wait=2{(cursor is null ? "" : $"&cursor={cursor}")}"))
                .ShouldBe(HttpStatusCode.OK).Json;
            seen.AddRange(page["items"]!.AsArray().Select(item => item!.AsObject()));
            cursor = page["next_cursor"]!.GetValue<string>();
        }

        var after = (await api.SendAsync(HttpMethod.Get, $"/v1/changes?cursor={cursor}")).ShouldBe(HttpStatusCode.OK).Json;
        Assert.Empty(after["items"]!.AsArray());
        return seen;
    }

    private static async Task<List<JsonObject>> ReadAllAsync(ApiClient api, string? start)
    {
        var events = new List<JsonObject>();
        var cursor = start;
        while (true)
        {
            var page = (await api.SendAsync(HttpMethod.Get, $"/v1/changes?limit=1000{(cursor is null ? "" : $"&cursor={cursor}")}")).ShouldBe(HttpStatusCode.OK).Json;
            var items = page["items"]!.AsArray();
            events.AddRange(items.Select(item => item!.AsObject()));
            cursor = page["next_cursor"]!.GetValue<string>();
            if (items.Count < 1000)
            {
                return events;
            }
        }
    }
}

public sealed class SqliteChangeFeedTests(SqliteChangeFeedServices services) : ChangeFeedTests<SqliteChangeFeedServices>(services);

public sealed class PostgreSqlChangeFeedTests(PostgreSqlChangeFeedServices services) : ChangeFeedTests<PostgreSqlChangeFeedServices>(services);
