using System.Net;

namespace BotStateCluster.EndToEndTests;

/// <summary>A gateway started with API_KEYS: /v1 needs a key, probes and metrics stay open.</summary>
[Collection(ServiceCollection.Name)]
public sealed class ApiKeyTests(ServiceFixture services)
{
    [Fact]
    public async Task WithoutAKeyTheApiAnswers401AndSaysHow()
    {
        var api = await services.SecuredApiAsync();

        var response = (await api.GetStateAsync(ApiClient.NewUserId("no-key"))).ShouldBeProblem(HttpStatusCode.Unauthorized);

        Assert.Contains("Bearer", response.Header("WWW-Authenticate"));
        Assert.Contains("X-API-Key", response.Detail);
    }

    [Fact]
    public async Task WithoutAKeyNeitherThePathNorTheBodyIsRead()
    {
        var api = await services.SecuredApiAsync();

        // A bad user id and a bad body would be 400s; without a key the answer is the 401, before either is read.
        // (A non-JSON Content-Type is refused by routing, 415, before that: nothing is read then either.)
        var (status, answer) = await RawHttp.SendAsync(api.Http.BaseAddress!, "POST", "/v1/states/a%FF/messages", "{\"text\":");

        Assert.True(status == HttpStatusCode.Unauthorized, $"-> {(int)status}: {answer}");
        Assert.Contains("urn:botstate:problem:unauthorized", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWrongKeyIsRefused()
    {
        var api = await services.SecuredApiAsync();

        const string wrongKey = "not-the-key-at-all-000";

        (await api.GetStateAsync(ApiClient.NewUserId("wrong-key"), ("Authorization", $"Bearer {wrongKey}"))).ShouldBeProblem(HttpStatusCode.Unauthorized);

        // Logged as refused, with neither the key presented nor the one in force.
        var gateway = services.SecuredGateway;
        await Poll.UntilAsync("the refused key to be logged", TimeSpan.FromSeconds(10),
            () => Task.FromResult(gateway.Output.Contains("API key refused", StringComparison.Ordinal)), () => gateway.Output);
        Assert.DoesNotContain(wrongKey, gateway.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(ServiceFixture.ApiKey, gateway.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BearerAndXApiKeyBothWork()
    {
        var api = await services.SecuredApiAsync();
        var user = ApiClient.NewUserId("keyed");

        (await api.PostMessageAsync(user, "hi", null, ("Authorization", $"Bearer {ServiceFixture.ApiKey}"))).ShouldBe(HttpStatusCode.OK);
        (await api.GetStateAsync(user, ("X-API-Key", ServiceFixture.ApiKey))).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task ProbesAndMetricsNeedNoKey()
    {
        var api = await services.SecuredApiAsync();
        foreach (var path in new[] { "/health", "/readiness", "/metrics" })
        {
            using var response = await api.Http.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}");
        }
    }
}
