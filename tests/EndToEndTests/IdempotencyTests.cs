using System.Net;
using System.Text.Json.Nodes;

namespace BotStateCluster.EndToEndTests;

[Collection(ServiceCollection.Name)]
public sealed class IdempotencyTests(ServiceFixture services)
{
    [Fact]
    public async Task RepeatedTurnWithSameKeyReturnsFirstResultAndIsAppliedOnce()
    {
        var user = ApiClient.NewUserId("idempotent");
        var key = Guid.NewGuid().ToString();
        var context = new JsonObject { ["n"] = 1 };

        var first = (await services.Api.PostMessageAsync(user, "pay 10 EUR", context, ("Idempotency-Key", key))).ShouldBe(HttpStatusCode.OK);
        var retry = (await services.Api.PostMessageAsync(user, "pay 10 EUR", context, ("Idempotency-Key", key))).ShouldBe(HttpStatusCode.OK);

        Assert.Null(first.Header("Idempotent-Replayed"));
        Assert.Equal("true", retry.Header("Idempotent-Replayed"));
        Assert.Equal(first.ETag, retry.ETag);
        Assert.True(JsonNode.DeepEquals(first.Json, retry.Json), $"first {first.Body}{Environment.NewLine}retry {retry.Body}");
        var history = (await services.Api.GetHistoryAsync(user)).ShouldBe(HttpStatusCode.OK).Json["items"]!.AsArray();
        Assert.Single(history);
        Assert.Equal(first.ETag, (await services.Api.GetStateAsync(user)).ShouldBe(HttpStatusCode.OK).ETag);
    }

    [Fact]
    public async Task RetryAfterLaterTurnsStillReturnsTheFirstResult()
    {
        var user = ApiClient.NewUserId("idempotent-late");
        var key = Guid.NewGuid().ToString();
        var first = (await services.Api.PostMessageAsync(user, "first", null, ("Idempotency-Key", key))).ShouldBe(HttpStatusCode.OK);
        (await services.Api.PostMessageAsync(user, "second")).ShouldBe(HttpStatusCode.OK);

        var retry = (await services.Api.PostMessageAsync(user, "first", null, ("Idempotency-Key", key))).ShouldBe(HttpStatusCode.OK);

        Assert.Equal("true", retry.Header("Idempotent-Replayed"));
        Assert.Equal(first.ETag, retry.ETag);
        Assert.True(JsonNode.DeepEquals(first.Json, retry.Json), retry.Body);
        Assert.Equal("\"2\"", (await services.Api.GetStateAsync(user)).ShouldBe(HttpStatusCode.OK).ETag);
    }

    [Fact]
    public async Task SameKeyWithDifferentTextIsRefusedWith422()
    {
        var user = ApiClient.NewUserId("idempotent-reuse");
        var key = Guid.NewGuid().ToString();
        var first = (await services.Api.PostMessageAsync(user, "yes", null, ("Idempotency-Key", key))).ShouldBe(HttpStatusCode.OK);

        (await services.Api.PostMessageAsync(user, "no", null, ("Idempotency-Key", key))).ShouldBeProblem(HttpStatusCode.UnprocessableEntity);

        var read = (await services.Api.GetStateAsync(user)).ShouldBe(HttpStatusCode.OK);
        Assert.Equal(first.ETag, read.ETag);
        Assert.Equal("yes", read.Json["user_message"]!["text"]!.GetValue<string>());
    }
}
