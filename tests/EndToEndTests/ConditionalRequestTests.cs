using System.Net;
using System.Text.Json.Nodes;

namespace BotStateCluster.EndToEndTests;

[Collection(ServiceCollection.Name)]
public sealed class ConditionalRequestTests(ServiceFixture services)
{
    [Fact]
    public async Task PutCreatesWith201ThenReplacesWith200AndTheETagIncrements()
    {
        var user = ApiClient.NewUserId("put");

        var created = (await services.Api.PutStateAsync(user, State("first"))).ShouldBe(HttpStatusCode.Created);
        var replaced = (await services.Api.PutStateAsync(user, State("second"))).ShouldBe(HttpStatusCode.OK);

        Assert.Equal("\"1\"", created.ETag);
        Assert.Equal("\"2\"", replaced.ETag);
        Assert.Equal("second", replaced.Json["current_node"]!.GetValue<string>());
        var read = (await services.Api.GetStateAsync(user)).ShouldBe(HttpStatusCode.OK);
        Assert.Equal("\"2\"", read.ETag);
        Assert.True(JsonNode.DeepEquals(replaced.Json, read.Json));
    }

    [Fact]
    public async Task PutWithStaleIfMatchIsRefusedWith412AndChangesNothing()
    {
        var user = ApiClient.NewUserId("stale");
        (await services.Api.PutStateAsync(user, State("v1"))).ShouldBe(HttpStatusCode.Created);
        var current = (await services.Api.PutStateAsync(user, State("v2"))).ShouldBe(HttpStatusCode.OK);

        (await services.Api.PutStateAsync(user, State("lost update"), ("If-Match", "\"1\""))).ShouldBeProblem(HttpStatusCode.PreconditionFailed);

        var read = (await services.Api.GetStateAsync(user)).ShouldBe(HttpStatusCode.OK);
        Assert.Equal("\"2\"", read.ETag);
        Assert.True(JsonNode.DeepEquals(current.Json, read.Json), read.Body);
    }

    [Fact]
    public async Task PutWithCurrentIfMatchReplaces()
    {
        var user = ApiClient.NewUserId("match");
        var created = (await services.Api.PutStateAsync(user, State("v1"))).ShouldBe(HttpStatusCode.Created);

        var replaced = (await services.Api.PutStateAsync(user, State("v2"), ("If-Match", created.ETag!))).ShouldBe(HttpStatusCode.OK);

        Assert.Equal("\"2\"", replaced.ETag);
        Assert.Equal("v2", (await services.Api.GetStateAsync(user)).ShouldBe(HttpStatusCode.OK).Json["current_node"]!.GetValue<string>());
    }

    [Fact]
    public async Task PostMessageWithStaleIfMatchIsRefusedWith412()
    {
        var user = ApiClient.NewUserId("post-match");
        (await services.Api.PostMessageAsync(user, "one")).ShouldBe(HttpStatusCode.OK);
        var second = (await services.Api.PostMessageAsync(user, "two")).ShouldBe(HttpStatusCode.OK);

        (await services.Api.PostMessageAsync(user, "stale", null, ("If-Match", "\"1\""))).ShouldBeProblem(HttpStatusCode.PreconditionFailed);
        var third = (await services.Api.PostMessageAsync(user, "fresh", null, ("If-Match", second.ETag!))).ShouldBe(HttpStatusCode.OK);

        Assert.Equal("\"3\"", third.ETag);
        Assert.Equal("fresh", third.Json["user_message"]!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task PutWithIfNoneMatchStarOnExistingStateIsRefusedWith412()
    {
        var user = ApiClient.NewUserId("create-only");
        (await services.Api.PutStateAsync(user, State("original"), ("If-None-Match", "*"))).ShouldBe(HttpStatusCode.Created);

        (await services.Api.PutStateAsync(user, State("overwrite"), ("If-None-Match", "*"))).ShouldBeProblem(HttpStatusCode.PreconditionFailed);

        var read = (await services.Api.GetStateAsync(user)).ShouldBe(HttpStatusCode.OK);
        Assert.Equal("\"1\"", read.ETag);
        Assert.Equal("original", read.Json["current_node"]!.GetValue<string>());
    }

    [Fact]
    public async Task PutWithIfMatchOnMissingStateIsRefusedWith412AndCreatesNothing()
    {
        var user = ApiClient.NewUserId("missing");

        (await services.Api.PutStateAsync(user, State("ghost"), ("If-Match", "\"1\""))).ShouldBeProblem(HttpStatusCode.PreconditionFailed);

        (await services.Api.GetStateAsync(user)).ShouldBeProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task GetWithCurrentIfNoneMatchAnswers304AndWithAnOldOne200()
    {
        var user = ApiClient.NewUserId("not-modified");
        (await services.Api.PostMessageAsync(user, "one")).ShouldBe(HttpStatusCode.OK);
        var current = (await services.Api.PostMessageAsync(user, "two")).ShouldBe(HttpStatusCode.OK);

        var notModified = (await services.Api.GetStateAsync(user, ("If-None-Match", current.ETag!))).ShouldBe(HttpStatusCode.NotModified);
        var modified = (await services.Api.GetStateAsync(user, ("If-None-Match", "\"1\""))).ShouldBe(HttpStatusCode.OK);

        Assert.Equal(current.ETag, notModified.ETag);
        Assert.Equal("", notModified.Body);
        Assert.Equal(current.ETag, modified.ETag);
    }

    private static JsonObject State(string node) => new()
    {
        ["current_node"] = node,
        ["context"] = new JsonObject { ["node"] = node },
    };
}
