using System.Net;

namespace BotStateCluster.EndToEndTests;

/// <summary>
/// A silo started with <c>SILO_API_ENABLED=true</c> serves the gateway's API on its own listener, calling its grains
/// in-process: the same conversations, answers and ETags through either process, the same document, the same keys.
/// </summary>
public sealed class SiloServedApiTests : IAsyncLifetime
{
    private readonly ServiceCluster _cluster = new(new Dictionary<string, string> { ["SILO_API_ENABLED"] = "true" });

    private ApiClient Silo => new(_cluster.Silo.Http, _cluster.Describe);

    private ApiClient Gateway => _cluster.Api;

    public Task InitializeAsync() => _cluster.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task TheSiloAndTheGatewayServeTheSameConversationsByteForByte()
    {
        var user = ApiClient.NewUserId("silo-api");

        var created = (await Silo.PostMessageAsync(user, "first")).ShouldBe(HttpStatusCode.OK);
        var readThroughGateway = (await Gateway.GetStateAsync(user)).ShouldBe(HttpStatusCode.OK);
        Assert.Equal(created.Body, readThroughGateway.Body);
        Assert.Equal(created.ETag, readThroughGateway.ETag);

        var second = (await Gateway.PostMessageAsync(user, "second")).ShouldBe(HttpStatusCode.OK);
        var readThroughSilo = (await Silo.GetStateAsync(user)).ShouldBe(HttpStatusCode.OK);
        Assert.Equal(second.Body, readThroughSilo.Body);
        Assert.Equal(2, readThroughSilo.Version);

        Assert.Equal(2, (await Silo.GetHistoryAsync(user)).ShouldBe(HttpStatusCode.OK).Json["items"]!.AsArray().Count);
        (await Silo.GetStateAsync(user, ("If-None-Match", readThroughSilo.ETag!))).ShouldBe(HttpStatusCode.NotModified);
        (await Silo.DeleteStateAsync(user, ("If-Match", "\"1\""))).ShouldBeProblem(HttpStatusCode.PreconditionFailed);
        (await Silo.DeleteStateAsync(user)).ShouldBe(HttpStatusCode.NoContent);
        (await Gateway.GetStateAsync(user)).ShouldBeProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task BadInputGetsTheSameProblemsFromTheSilo()
    {
        (await Silo.SendAsync(HttpMethod.Post, ApiClient.StatePath(ApiClient.NewUserId("bad")) + "/messages", "{\"text\":")).ShouldBeProblem(HttpStatusCode.BadRequest);
        (await Silo.SendAsync(HttpMethod.Get, "/v1/states/a%FF")).ShouldBeProblem(HttpStatusCode.BadRequest);
        (await Silo.SendAsync(HttpMethod.Get, "/v1/nowhere")).ShouldBeProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task TheSiloPublishesTheApiDocumentNextToItsOwnEndpoints()
    {
        using var document = await _cluster.Silo.Http.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, document.StatusCode);
        Assert.Contains("/v1/states/{userId}/messages", await document.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // What the silo served before stays: probes, metrics and the dashboard.
        foreach (var path in new[] { "/health/ready", "/metrics", "/dashboard" })
        {
            using var response = await _cluster.Silo.Http.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}{Environment.NewLine}{_cluster.Describe()}");
        }
    }

    [Fact]
    public async Task ASiloWithApiKeysRefusesTheApiWithoutOne()
    {
        await using var secured = new ServiceCluster(new Dictionary<string, string>
        {
            ["SILO_API_ENABLED"] = "true",
            ["API_KEYS"] = ServiceFixture.ApiKey,
        });
        await secured.StartAsync();
        var api = new ApiClient(secured.Silo.Http, secured.Describe);
        var user = ApiClient.NewUserId("silo-keyed");

        (await api.GetStateAsync(user)).ShouldBeProblem(HttpStatusCode.Unauthorized);
        (await api.PostMessageAsync(user, "hi", null, ("X-API-Key", ServiceFixture.ApiKey))).ShouldBe(HttpStatusCode.OK);
        // The gateway of that cluster was given no keys: the setting is each process's own.
        (await secured.Api.GetStateAsync(user)).ShouldBe(HttpStatusCode.OK);
    }
}

/// <summary>Without <c>SILO_API_ENABLED</c> (the default) the silo's listener serves no API.</summary>
[Collection(ServiceCollection.Name)]
public sealed class SiloWithoutApiTests(ServiceFixture services)
{
    [Fact]
    public async Task TheSiloAnswers404ForTheApiByDefault()
    {
        var user = ApiClient.NewUserId("no-silo-api");
        (await services.Api.PostMessageAsync(user, "hello")).ShouldBe(HttpStatusCode.OK);

        using var response = await services.Silo.Http.GetAsync(ApiClient.StatePath(user));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
