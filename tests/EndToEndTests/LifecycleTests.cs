using System.Net;
using System.Text.Json.Nodes;

namespace BotStateCluster.EndToEndTests;

/// <summary>
/// Listing, export and bulk erasure through a real gateway and silo that keep 1,000 snapshots per user.
/// </summary>
public sealed class LifecycleTests : IAsyncLifetime
{
    private const string ApiKey = "lifecycle-key-0123456789";
    private readonly ServiceCluster _cluster = new(new Dictionary<string, string> { ["HISTORY_LIMIT"] = "1000" });

    private ApiClient Api => _cluster.Api;

    public Task InitializeAsync() => _cluster.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task ExportStreamsTheStateThenEverySnapshotNewestFirst()
    {
        const int Turns = 1000;
        var user = "export/" + Guid.NewGuid().ToString("N");
        for (var i = 1; i <= Turns; i++)
        {
            (await Api.PostMessageAsync(user, $"turn {i}", new JsonObject { ["n"] = i })).ShouldBe(HttpStatusCode.OK);
        }

        var export = (await Api.SendAsync(HttpMethod.Get, ApiClient.StatePath(user) + "/export")).ShouldBe(HttpStatusCode.OK);

        Assert.Equal("application/x-ndjson", export.MediaType);
        var lines = export.Body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonNode.Parse(line)!.AsObject()).ToList();
        Assert.Equal(Turns + 1, lines.Count);
        Assert.Equal("state", lines[0]["kind"]!.GetValue<string>());
        Assert.Equal(Turns, lines[0]["version"]!.GetValue<int>());
        Assert.Equal(user, lines[0]["thread_id"]!.GetValue<string>());
        Assert.Equal(Turns, lines[0]["state"]!["context"]!["n"]!.GetValue<int>());
        var snapshots = lines.Skip(1).ToList();
        Assert.All(snapshots, line => Assert.Equal("snapshot", line["kind"]!.GetValue<string>()));
        Assert.Equal(Enumerable.Range(1, Turns).Reverse(), snapshots.Select(line => line["version"]!.GetValue<int>()));
        Assert.All(snapshots, line => Assert.Equal(line["version"]!.GetValue<int>(), line["state"]!["context"]!["n"]!.GetValue<int>()));
        Assert.All(snapshots, line => Assert.NotNull(line["saved_at"]));
    }

    [Fact]
    public async Task ExportOfAnUnknownUserIs404()
    {
        (await Api.SendAsync(HttpMethod.Get, ApiClient.StatePath(ApiClient.NewUserId("nobody")) + "/export")).ShouldBeProblem(HttpStatusCode.NotFound);
        (await Api.SendAsync(HttpMethod.Get, "/v1/states/%01/export")).ShouldBeProblem(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task ListingWalksEveryConversationOfAFilterPageByPage()
    {
        var node = $"node-{Guid.NewGuid():N}";
        var users = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var user = ApiClient.NewUserId($"list{i}");
            (await Api.PutStateAsync(user, new JsonObject { ["current_node"] = node, ["intent"] = new JsonObject { ["id"] = "greet" } })).ShouldBe(HttpStatusCode.Created);
            users.Add(user);
        }

        var seen = new List<JsonObject>();
        string? cursor = null;
        do
        {
            var query = $"/v1/states?limit=2&current_node={Uri.EscapeDataString(node)}" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}");
            var page = (await Api.SendAsync(HttpMethod.Get, query)).ShouldBe(HttpStatusCode.OK).Json;
            seen.AddRange(page["items"]!.AsArray().Select(item => item!.AsObject()));
            cursor = page["next_cursor"]?.GetValue<string>();
        }
        while (cursor is not null);

        Assert.Equal(users.AsEnumerable().Reverse(), seen.Select(item => item["thread_id"]!.GetValue<string>()));
        Assert.All(seen, item =>
        {
            Assert.Equal(["thread_id", "version", "updated_at", "current_node", "intent_id"], item.Select(pair => pair.Key));
            Assert.Equal(1, item["version"]!.GetValue<int>());
            Assert.Equal(node, item["current_node"]!.GetValue<string>());
            Assert.Equal("greet", item["intent_id"]!.GetValue<string>());
        });
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=1001")]
    [InlineData("limit=ten")]
    [InlineData("cursor=bm90LWEtY3Vyc29y")]
    [InlineData("updated_after=yesterday")]
    [InlineData("updated_before=2026-13-01")]
    public async Task ABadListingParameterIs400(string query) =>
        (await Api.SendAsync(HttpMethod.Get, "/v1/states?" + query)).ShouldBeProblem(HttpStatusCode.BadRequest);

    [Fact]
    public async Task BulkErasureErasesEachAsDeleteDoesAndReportsTheRest()
    {
        var (first, second, missing) = (ApiClient.NewUserId("erase"), ApiClient.NewUserId("erase"), ApiClient.NewUserId("never"));
        var before = (await Api.PostMessageAsync(first, "one")).ShouldBe(HttpStatusCode.OK).Version;
        (await Api.PostMessageAsync(second, "two")).ShouldBe(HttpStatusCode.OK);

        var body = new JsonObject { ["thread_ids"] = new JsonArray(first, second, missing, first) }.ToJsonString();
        var answer = (await Api.SendAsync(HttpMethod.Post, "/v1/erasures", body)).ShouldBe(HttpStatusCode.OK).Json;

        Assert.Equal([first, second], answer["erased"]!.AsArray().Select(id => id!.GetValue<string>()));
        Assert.Equal([missing], answer["not_found"]!.AsArray().Select(id => id!.GetValue<string>()));
        Assert.Empty(answer["failed"]!.AsArray());
        (await Api.GetStateAsync(first)).ShouldBeProblem(HttpStatusCode.NotFound);
        Assert.Empty((await Api.GetHistoryAsync(second)).ShouldBe(HttpStatusCode.OK).Json["items"]!.AsArray());
        // As DELETE: a tombstone, so the next state does not restart at a version a stale client holds.
        Assert.Equal(before + 2, (await Api.PostMessageAsync(first, "again")).ShouldBe(HttpStatusCode.OK).Version);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"thread_ids\": []}")]
    [InlineData("{\"thread_ids\": [\"ok\", \"\"]}")]
    [InlineData("{\"thread_ids\": [\"bad\\u0001id\"]}")]
    [InlineData("{\"thread_ids\": \"u1\"}")]
    [InlineData("[\"u1\"]")]
    [InlineData("not json")]
    public async Task ABadErasureBodyIs400(string body) =>
        (await Api.SendAsync(HttpMethod.Post, "/v1/erasures", body)).ShouldBe(HttpStatusCode.BadRequest);

    [Fact]
    public async Task MoreThanAThousandIdsIs400AndErasesNothing()
    {
        var user = ApiClient.NewUserId("kept");
        (await Api.PostMessageAsync(user, "one")).ShouldBe(HttpStatusCode.OK);
        var ids = new JsonArray([.. Enumerable.Range(0, 1000).Select(i => (JsonNode)$"x{i}"), user]);

        (await Api.SendAsync(HttpMethod.Post, "/v1/erasures", new JsonObject { ["thread_ids"] = ids }.ToJsonString())).ShouldBeProblem(HttpStatusCode.BadRequest);

        (await Api.GetStateAsync(user)).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task TheLifecycleEndpointsNeedTheApiKeyWhenKeysAreSet()
    {
        var secured = await _cluster.StartGatewayAsync(new Dictionary<string, string> { ["API_KEYS"] = ApiKey });
        var api = new ApiClient(secured.Http, _cluster.Describe);

        (await api.SendAsync(HttpMethod.Get, "/v1/states")).ShouldBeProblem(HttpStatusCode.Unauthorized);
        (await api.SendAsync(HttpMethod.Get, "/v1/states/u1/export")).ShouldBeProblem(HttpStatusCode.Unauthorized);
        (await api.SendAsync(HttpMethod.Post, "/v1/erasures", "{\"thread_ids\": [\"u1\"]}")).ShouldBeProblem(HttpStatusCode.Unauthorized);
        (await api.SendAsync(HttpMethod.Get, "/v1/states", null, ("X-API-Key", ApiKey))).ShouldBe(HttpStatusCode.OK);
    }
}
