using System.Net;
using System.Text.Json.Nodes;

namespace BotStateCluster.EndToEndTests;

[Collection(ServiceCollection.Name)]
public sealed class DeleteTests(ServiceFixture services)
{
    [Fact]
    public async Task DeleteForgetsStateAndHistory()
    {
        var user = ApiClient.NewUserId("delete");
        (await services.Api.PostMessageAsync(user, "one")).ShouldBe(HttpStatusCode.OK);
        (await services.Api.PostMessageAsync(user, "two")).ShouldBe(HttpStatusCode.OK);

        (await services.Api.DeleteStateAsync(user)).ShouldBe(HttpStatusCode.NoContent);

        (await services.Api.GetStateAsync(user)).ShouldBeProblem(HttpStatusCode.NotFound);
        (await services.Api.GetActiveIntentAsync(user)).ShouldBeProblem(HttpStatusCode.NotFound);
        var history = (await services.Api.GetHistoryAsync(user)).ShouldBe(HttpStatusCode.OK).Json;
        Assert.Empty(history["items"]!.AsArray());
        Assert.Null(history["next_before"]);
    }

    [Fact]
    public async Task DeleteWhenNothingExistedAnswers204()
    {
        var user = ApiClient.NewUserId("delete-nothing");

        (await services.Api.DeleteStateAsync(user)).ShouldBe(HttpStatusCode.NoContent);

        (await services.Api.GetStateAsync(user)).ShouldBeProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task VersionsNeverRestartAfterDelete()
    {
        var user = ApiClient.NewUserId("tombstone");
        (await services.Api.PostMessageAsync(user, "one", new JsonObject { ["before"] = true })).ShouldBe(HttpStatusCode.OK);
        var beforeDelete = (await services.Api.PostMessageAsync(user, "two")).ShouldBe(HttpStatusCode.OK);
        (await services.Api.DeleteStateAsync(user)).ShouldBe(HttpStatusCode.NoContent);

        var afterDelete = (await services.Api.PostMessageAsync(user, "again")).ShouldBe(HttpStatusCode.OK);

        Assert.True(afterDelete.Version > beforeDelete.Version, $"ETag {afterDelete.ETag} after delete must exceed {beforeDelete.ETag} before it");
        Assert.Equal("again", afterDelete.Json["user_message"]!["text"]!.GetValue<string>());
        Assert.Null(afterDelete.Json["bot_message"]);
        Assert.Empty(afterDelete.Json["context"]!.AsObject());
        var history = (await services.Api.GetHistoryAsync(user)).ShouldBe(HttpStatusCode.OK).Json["items"]!.AsArray();
        Assert.Equal([afterDelete.Version], history.Select(item => item!["version"]!.GetValue<int>()));
    }

    [Fact]
    public async Task StaleETagCannotBeReusedAfterDelete()
    {
        var user = ApiClient.NewUserId("resurrect");
        var old = (await services.Api.PostMessageAsync(user, "one")).ShouldBe(HttpStatusCode.OK);
        (await services.Api.DeleteStateAsync(user)).ShouldBe(HttpStatusCode.NoContent);
        (await services.Api.PostMessageAsync(user, "new life")).ShouldBe(HttpStatusCode.OK);

        (await services.Api.PutStateAsync(user, old.Json, ("If-Match", old.ETag!))).ShouldBeProblem(HttpStatusCode.PreconditionFailed);

        Assert.Equal("new life", (await services.Api.GetStateAsync(user)).ShouldBe(HttpStatusCode.OK).Json["user_message"]!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task DeleteWithStaleIfMatchIsRefusedWith412AndKeepsTheState()
    {
        var user = ApiClient.NewUserId("delete-stale");
        (await services.Api.PostMessageAsync(user, "one")).ShouldBe(HttpStatusCode.OK);
        var current = (await services.Api.PostMessageAsync(user, "two")).ShouldBe(HttpStatusCode.OK);

        (await services.Api.DeleteStateAsync(user, ("If-Match", "\"1\""))).ShouldBeProblem(HttpStatusCode.PreconditionFailed);

        Assert.Equal(current.ETag, (await services.Api.GetStateAsync(user)).ShouldBe(HttpStatusCode.OK).ETag);
        (await services.Api.DeleteStateAsync(user, ("If-Match", current.ETag!))).ShouldBe(HttpStatusCode.NoContent);
        (await services.Api.GetStateAsync(user)).ShouldBeProblem(HttpStatusCode.NotFound);
    }
}
