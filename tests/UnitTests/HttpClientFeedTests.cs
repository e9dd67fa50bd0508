using System.Net;
using System.Text;
using BotStateCluster.Client.Http;
using Microsoft.Extensions.DependencyInjection;

namespace BotStateCluster.UnitTests;

/// <summary>
/// The .NET HTTP client's change feed readers over a scripted handler: each page or stream is asked for from the cursor
/// of the last event yielded, after a dropped connection as after a new reader built from a saved cursor.
/// </summary>
public sealed class HttpClientFeedTests : IDisposable
{
    private readonly ScriptedHttpHandler _handler = new();
    private ServiceProvider? _provider;

    [Fact]
    public async Task AfterADroppedConnectionChangesAsksAgainFromTheLastEventYielded()
    {
        _handler.Answer(Page(Event("c1", 1), Event("c2", 2)))
            .Fail(new HttpRequestException("connection reset"))
            .Fail(new HttpRequestException("connection reset"))
            .Answer(Page(Event("c3", 3)));

        var seen = await TakeAsync(Client().ChangesAsync(wait: TimeSpan.FromSeconds(5)), 3);

        Assert.Equal(["c1", "c2", "c3"], seen.Select(change => change.Cursor));
        Assert.Equal([null, "c2", "c2", "c2"], _handler.Requests.Select(request => Query(request, "cursor")));
        Assert.All(_handler.Requests, request => Assert.Equal("5", Query(request, "wait")));
    }

    [Fact]
    public async Task AnEmptyLongPollAsksAgainFromItsCursorAndASavedCursorStartsANewReaderAfterIt()
    {
        _handler.Answer(Page([], "start")).Answer(Page(Event("c1", 1))).Answer(Page(Event("c2", 2)));
        var client = Client();

        var first = (await TakeAsync(client.ChangesAsync(), 1)).Single();
        var second = (await TakeAsync(client.ChangesAsync(first.Cursor), 1)).Single();

        Assert.Equal((1, 2), (first.Version, second.Version));
        Assert.Equal([null, "start", "c1"], _handler.Requests.Select(request => Query(request, "cursor")));
    }

    [Fact]
    public async Task ARefusalThatWaitingCannotMendIsThrownNotRetried()
    {
        _handler.Answer(Problem(HttpStatusCode.Forbidden, "forbidden"));

        var problem = await Assert.ThrowsAsync<BotStateProblemException>(() => TakeAsync(Client().ChangesAsync(), 1));

        Assert.Equal(ProblemKind.Forbidden, problem.Kind);
        Assert.Single(_handler.Requests);
    }

    [Fact]
    public async Task AStreamThatEndsOrBreaksIsOpenedAgainWithTheLastEventId()
    {
        _handler.Answer(Stream(Event("c1", 1), Event("c2", 2)))
            .Fail(new HttpRequestException("connection refused"))
            .Answer(Stream(Event("c3", 3)));

        var seen = await TakeAsync(Client().GetChangeStreamAsync("c0"), 3);

        Assert.Equal(["c1", "c2", "c3"], seen.Select(change => change.Cursor));
        Assert.Equal(["c0", "c2", "c2"], _handler.Requests.Select(request => request.Headers.GetValues("Last-Event-ID").Single()));
        Assert.Contains(_handler.Requests[0].Headers.Accept, accept => accept.MediaType == "text/event-stream");
    }

    [Fact]
    public async Task AFailedDeliveriesRetryWithoutIdsSendsAnEmptyObject()
    {
        _handler.Answer(() => Json(HttpStatusCode.Accepted, """{"retrying":2}"""));

        Assert.Equal(2, await Client().RetryFailedDeliveriesAsync());
        Assert.Equal("{}", _handler.Bodies.Single());
    }

    public void Dispose() => _provider?.Dispose();

    private BotStateHttpClient Client()
    {
        var services = new ServiceCollection();
        services.AddBotStateHttpClient(options =>
        {
            options.BaseAddress = new Uri("http://botstate.test");
            // No retries in the pipeline: the readers themselves have to reconnect and resume.
            options.MaxRetryAttempts = 0;
            options.RetryDelay = TimeSpan.FromMilliseconds(1);
        }).ConfigurePrimaryHttpMessageHandler(() => _handler);
        _provider = services.BuildServiceProvider();
        return _provider.GetRequiredService<BotStateHttpClient>();
    }

    private static async Task<List<global::BotStateCluster.Client.Http.ChangeEvent>> TakeAsync(IAsyncEnumerable<global::BotStateCluster.Client.Http.ChangeEvent> changes, int count)
    {
        var taken = new List<global::BotStateCluster.Client.Http.ChangeEvent>();
        await foreach (var change in changes)
        {
            taken.Add(change);
            if (taken.Count == count)
            {
                break;
            }
        }

        return taken;
    }

    private static string Event(string cursor, int version) =>
        $$"""{"cursor":"{{cursor}}","kind":"updated","thread_id":"t1","version":{{version}},"at":"2026-01-01T00:00:00.000000+00:00","state":{"thread_id":"t1","context":{} } }""";

    private static Func<HttpResponseMessage> Page(params string[] events) => Page(events, events.Length == 0 ? "c0" : null);

    private static Func<HttpResponseMessage> Page(string[] events, string? nextCursor)
    {
        var next = nextCursor ?? System.Text.Json.Nodes.JsonNode.Parse(events[^1])!["cursor"]!.GetValue<string>();
        return () => Json(HttpStatusCode.OK, $$"""{"items":[{{string.Join(',', events)}}],"next_cursor":"{{next}}"}""");
    }

    private static Func<HttpResponseMessage> Stream(params string[] events) => () =>
    {
        var text = new StringBuilder("retry: 1000\n\n: nothing new\n\n");
        foreach (var change in events)
        {
            var cursor = System.Text.Json.Nodes.JsonNode.Parse(change)!["cursor"]!.GetValue<string>();
            text.Append($"id: {cursor}\ndata: {change}\n\n");
        }

        return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(text.ToString(), Encoding.UTF8, "text/event-stream") };
    };

    private static HttpResponseMessage Json(HttpStatusCode status, string body) =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    private static Func<HttpResponseMessage> Problem(HttpStatusCode status, string type) => () =>
        new HttpResponseMessage(status)
        {
            Content = new StringContent($$"""{"type":"urn:botstate:problem:{{type}}","title":"Title","status":{{(int)status}}}""", Encoding.UTF8, "application/problem+json"),
        };

    private static string? Query(HttpRequestMessage request, string name) =>
        System.Web.HttpUtility.ParseQueryString(request.RequestUri!.Query)[name];
}
