using System.Net;
using System.Text.Json.Nodes;

namespace BotStateCluster.EndToEndTests;

/// <summary>A silo that keeps 3 snapshots per conversation and serves the API itself, with a gateway in front.</summary>
public sealed class ShortHistoryServices : IAsyncLifetime
{
    public const int HistoryLimit = 3;

    public ServiceCluster Cluster { get; } = new(new Dictionary<string, string>
    {
        ["HISTORY_LIMIT"] = HistoryLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["SILO_API_ENABLED"] = "true",
    });

    /// <summary>The gateway's API, then the silo's own.</summary>
    public IReadOnlyList<ApiClient> Apis => [Cluster.Api, new ApiClient(Cluster.Silo.Http, Cluster.Describe)];

    public async Task InitializeAsync()
    {
        try
        {
            await Cluster.StartAsync();
        }
        catch
        {
            await Cluster.DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

/// <summary>
/// Time travel over HTTP, through the gateway and the silo-served API: one snapshot, restore and fork, each with its
/// 404, 409 and 412, If-Match honoured, and a restore of a trimmed version answered with the oldest kept.
/// </summary>
public sealed class TimeTravelTests(ShortHistoryServices services) : IClassFixture<ShortHistoryServices>
{
    private static string Path(string userId, string rest) => ApiClient.StatePath(userId) + rest;

    private static async Task<string> ConversationAsync(ApiClient api, int turns)
    {
        var user = ApiClient.NewUserId("travel");
        for (var turn = 1; turn <= turns; turn++)
        {
            (await api.PostMessageAsync(user, $"turn {turn}", new JsonObject { [$"t{turn}"] = turn })).ShouldBe(HttpStatusCode.OK);
        }

        return user;
    }

    [Fact]
    public async Task OneSnapshotIsServedByVersionAndOneNotKeptIsA404NamingTheOldestKept()
    {
        foreach (var api in services.Apis)
        {
            var user = await ConversationAsync(api, 5);

            var snapshot = (await api.SendAsync(HttpMethod.Get, Path(user, "/history/4"))).ShouldBe(HttpStatusCode.OK).Json;
            Assert.Equal(4, snapshot["version"]!.GetValue<int>());
            Assert.Equal("turn 4", snapshot["state"]!["user_message"]!["text"]!.GetValue<string>());
            Assert.NotNull(snapshot["saved_at"]);

            var trimmed = (await api.SendAsync(HttpMethod.Get, Path(user, "/history/2"))).ShouldBeProblem(HttpStatusCode.NotFound);
            Assert.Contains("the oldest kept is version 3", trimmed.Detail, StringComparison.Ordinal);
            (await api.SendAsync(HttpMethod.Get, Path(user, "/history/6"))).ShouldBeProblem(HttpStatusCode.NotFound);
            (await api.SendAsync(HttpMethod.Get, Path(ApiClient.NewUserId("nobody"), "/history/1"))).ShouldBeProblem(HttpStatusCode.NotFound);
            foreach (var bad in new[] { "0", "-1", "x", "1.5", "99999999999" })
            {
                (await api.SendAsync(HttpMethod.Get, Path(user, $"/history/{bad}"))).ShouldBeProblem(HttpStatusCode.BadRequest);
            }
        }
    }

    [Fact]
    public async Task ARestoreIsANewVersionWithTheSnapshotsStateAndHonoursIfMatch()
    {
        foreach (var api in services.Apis)
        {
            var user = await ConversationAsync(api, 4);
            var third = (await api.SendAsync(HttpMethod.Get, Path(user, "/history/3"))).ShouldBe(HttpStatusCode.OK).Json["state"]!;

            (await api.SendAsync(HttpMethod.Post, Path(user, "/restore"), """{"version": 3}""", ("If-Match", "\"3\""))).ShouldBeProblem(HttpStatusCode.PreconditionFailed);
            var restored = (await api.SendAsync(HttpMethod.Post, Path(user, "/restore"), """{"version": 3}""", ("If-Match", "\"4\""))).ShouldBe(HttpStatusCode.OK);

            Assert.Equal(5, restored.Version);
            Assert.True(JsonNode.DeepEquals(third, restored.Json), restored.Body);
            var current = (await api.GetStateAsync(user)).ShouldBe(HttpStatusCode.OK);
            Assert.Equal((5, "turn 3"), (current.Version, current.Json["user_message"]!["text"]!.GetValue<string>()));
        }
    }

    [Fact]
    public async Task ARestoreThatCannotBeDoneIsA4xxAndChangesNothing()
    {
        foreach (var api in services.Apis)
        {
            var user = await ConversationAsync(api, 5);

            var trimmed = (await api.SendAsync(HttpMethod.Post, Path(user, "/restore"), """{"version": 1}""")).ShouldBeProblem(HttpStatusCode.NotFound);
            Assert.Contains("the oldest kept is version 3", trimmed.Detail, StringComparison.Ordinal);
            (await api.SendAsync(HttpMethod.Post, Path(ApiClient.NewUserId("nobody"), "/restore"), """{"version": 1}""")).ShouldBeProblem(HttpStatusCode.NotFound);
            (await api.SendAsync(HttpMethod.Post, Path(ApiClient.NewUserId("nobody"), "/restore"), """{"version": 1}""", ("If-Match", "\"1\""))).ShouldBeProblem(HttpStatusCode.PreconditionFailed);
            foreach (var body in new[] { "{}", """{"version": 0}""", """{"version": "3"}""", """{"version": 2.5}""", "[]", "null" })
            {
                (await api.SendAsync(HttpMethod.Post, Path(user, "/restore"), body)).ShouldBeProblem(HttpStatusCode.BadRequest);
            }

            Assert.Equal(5, (await api.GetStateAsync(user)).ShouldBe(HttpStatusCode.OK).Version);
        }
    }

    [Fact]
    public async Task AForkStartsANewConversationAt201WithItsLocation()
    {
        foreach (var api in services.Apis)
        {
            var source = await ConversationAsync(api, 3);
            var (copy, oldCopy) = (ApiClient.NewUserId("copy"), ApiClient.NewUserId("old copy/ü"));

            var forked = (await api.SendAsync(HttpMethod.Post, Path(source, "/fork"), new JsonObject { ["to"] = copy }.ToJsonString(), ("If-Match", "\"3\""))).ShouldBe(HttpStatusCode.Created);
            var fromSnapshot = (await api.SendAsync(HttpMethod.Post, Path(source, "/fork"), new JsonObject { ["to"] = oldCopy, ["version"] = 2 }.ToJsonString())).ShouldBe(HttpStatusCode.Created);

            Assert.Equal(1, forked.Version);
            Assert.Equal(ApiClient.StatePath(copy), forked.Header("Location"));
            Assert.Equal(ApiClient.StatePath(oldCopy), fromSnapshot.Header("Location"));
            Assert.Equal(copy, forked.Json["thread_id"]!.GetValue<string>());
            Assert.Equal("turn 3", forked.Json["user_message"]!["text"]!.GetValue<string>());
            Assert.Equal("turn 2", (await api.GetStateAsync(oldCopy)).ShouldBe(HttpStatusCode.OK).Json["user_message"]!["text"]!.GetValue<string>());
            Assert.Equal(3, (await api.GetStateAsync(source)).ShouldBe(HttpStatusCode.OK).Version);
        }
    }

    [Fact]
    public async Task AForkThatCannotBeDoneIsA4xxAndChangesNothing()
    {
        foreach (var api in services.Apis)
        {
            var source = await ConversationAsync(api, 5);
            var taken = await ConversationAsync(api, 1);
            var never = ApiClient.NewUserId("never");

            var exists = (await api.SendAsync(HttpMethod.Post, Path(source, "/fork"), new JsonObject { ["to"] = taken }.ToJsonString())).ShouldBeProblem(HttpStatusCode.Conflict);
            Assert.Equal("urn:botstate:problem:already-exists", exists.Json["type"]!.GetValue<string>());
            (await api.SendAsync(HttpMethod.Post, Path(source, "/fork"), new JsonObject { ["to"] = source }.ToJsonString())).ShouldBeProblem(HttpStatusCode.Conflict);
            (await api.SendAsync(HttpMethod.Post, Path(source, "/fork"), new JsonObject { ["to"] = never }.ToJsonString(), ("If-Match", "\"4\""))).ShouldBeProblem(HttpStatusCode.PreconditionFailed);
            var trimmed = (await api.SendAsync(HttpMethod.Post, Path(source, "/fork"), new JsonObject { ["to"] = never, ["version"] = 1 }.ToJsonString())).ShouldBeProblem(HttpStatusCode.NotFound);
            Assert.Contains("the oldest kept is version 3", trimmed.Detail, StringComparison.Ordinal);
            (await api.SendAsync(HttpMethod.Post, Path(ApiClient.NewUserId("nobody"), "/fork"), new JsonObject { ["to"] = never }.ToJsonString())).ShouldBeProblem(HttpStatusCode.NotFound);
            foreach (var body in new[] { "{}", """{"to": ""}""", """{"to": 7}""", """{"to": "a\u0000b"}""", new JsonObject { ["to"] = never, ["version"] = "2" }.ToJsonString() })
            {
                (await api.SendAsync(HttpMethod.Post, Path(source, "/fork"), body)).ShouldBeProblem(HttpStatusCode.BadRequest);
            }

            (await api.GetStateAsync(never)).ShouldBeProblem(HttpStatusCode.NotFound);
            Assert.Equal(1, (await api.GetStateAsync(taken)).ShouldBe(HttpStatusCode.OK).Version);
        }
    }
}
