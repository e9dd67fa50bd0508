using System.Net;
using System.Text.Json.Nodes;

namespace BotStateCluster.EndToEndTests;

[Collection(ServiceCollection.Name)]
public sealed class HistoryTests(ServiceFixture services)
{
    [Fact]
    public async Task HistoryPagesNewestFirstThroughNextBefore()
    {
        var user = ApiClient.NewUserId("history");
        var turns = new List<ApiResponse>();
        for (var turn = 1; turn <= 5; turn++)
        {
            turns.Add((await services.Api.PostMessageAsync(user, $"turn {turn}", new JsonObject { ["turn"] = turn })).ShouldBe(HttpStatusCode.OK));
        }

        var pages = new List<JsonObject>();
        var query = "?limit=2";
        while (true)
        {
            var page = (await services.Api.GetHistoryAsync(user, query)).ShouldBe(HttpStatusCode.OK).Json;
            pages.Add(page);
            if (page["next_before"] is not { } nextBefore)
            {
                break;
            }

            Assert.True(pages.Count < 5, "next_before never ends");
            query = $"?limit=2&before={nextBefore.GetValue<int>()}";
        }

        Assert.Equal([2, 2, 1], pages.Select(page => page["items"]!.AsArray().Count));
        Assert.All(pages, page => Assert.Equal(user, page["thread_id"]!.GetValue<string>()));
        Assert.Equal(new int?[] { 4, 2, null }, pages.Select(page => page["next_before"]?.GetValue<int>()));
        var items = pages.SelectMany(page => page["items"]!.AsArray()).Select(item => item!.AsObject()).ToList();
        Assert.Equal([5, 4, 3, 2, 1], items.Select(item => item["version"]!.GetValue<int>()));
        foreach (var item in items)
        {
            var version = item["version"]!.GetValue<int>();
            Assert.Matches(StateRoundTripTests.PythonIsoDate(), item["saved_at"]!.GetValue<string>());
            Assert.True(
                JsonNode.DeepEquals(turns[version - 1].Json, item["state"]),
                $"history version {version}: {item["state"]?.ToJsonString()}{Environment.NewLine}acknowledged: {turns[version - 1].Body}");
        }

        var savedAt = items.Select(item => DateTimeOffset.Parse(item["saved_at"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(savedAt.OrderDescending(), savedAt);
    }

    [Fact]
    public async Task HistoryOfUnknownUserIsEmpty()
    {
        var page = (await services.Api.GetHistoryAsync(ApiClient.NewUserId("no-history"))).ShouldBe(HttpStatusCode.OK).Json;

        Assert.Empty(page["items"]!.AsArray());
        Assert.Null(page["next_before"]);
    }

    [Theory]
    [InlineData("?limit=0")]
    [InlineData("?limit=abc")]
    [InlineData("?limit=101")]
    [InlineData("?limit=-1")]
    [InlineData("?before=-1")]
    [InlineData("?before=0")]
    [InlineData("?before=x")]
    public async Task InvalidPagingParametersAreBadRequestProblems(string query)
    {
        var user = ApiClient.NewUserId("paging");
        (await services.Api.PostMessageAsync(user, "one")).ShouldBe(HttpStatusCode.OK);

        var response = (await services.Api.GetHistoryAsync(user, query)).ShouldBeProblem(HttpStatusCode.BadRequest);

        Assert.Contains(query.TrimStart('?').Split('=')[0], response.Detail!, StringComparison.Ordinal);
    }
}
