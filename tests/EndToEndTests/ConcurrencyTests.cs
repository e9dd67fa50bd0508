using System.Net;

namespace BotStateCluster.EndToEndTests;

[Collection(ServiceCollection.Name)]
public sealed class ConcurrencyTests(ServiceFixture services)
{
    [Fact]
    public async Task FiftyConcurrentTurnsOnOneUserAllLandWithDistinctVersions()
    {
        var user = ApiClient.NewUserId("concurrent");

        var responses = await Task.WhenAll(Enumerable.Range(1, 50).Select(i => services.Api.PostMessageAsync(user, $"turn {i}")));

        Assert.All(responses, response => response.ShouldBe(HttpStatusCode.OK));
        Assert.Equal(Enumerable.Range(1, 50), responses.Select(response => response.Version).Order());
        Assert.Equal(50, (await services.Api.GetStateAsync(user)).ShouldBe(HttpStatusCode.OK).Version);
        var history = (await services.Api.GetHistoryAsync(user, "?limit=100")).ShouldBe(HttpStatusCode.OK).Json["items"]!.AsArray();
        Assert.Equal(50, history.Count);
        foreach (var response in responses)
        {
            // What each caller saw is exactly what history keeps for its version.
            var saved = history.Single(item => item!["version"]!.GetValue<int>() == response.Version)!["state"]!;
            Assert.Equal(response.Json["user_message"]!["text"]!.GetValue<string>(), saved["user_message"]!["text"]!.GetValue<string>());
        }
    }
}
