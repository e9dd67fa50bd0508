using System.Net;
using System.Text.Json.Nodes;

namespace BotStateCluster.EndToEndTests;

[Collection(ServiceCollection.Name)]
public sealed class ActiveIntentTests(ServiceFixture services)
{
    [Fact]
    public async Task ActiveIntentIsTheIdOfTheStoredIntent()
    {
        var user = ApiClient.NewUserId("intent");
        (await services.Api.PutStateAsync(user, new JsonObject { ["intent"] = new JsonObject { ["id"] = "book_flight", ["name"] = "Book" } })).ShouldBe(HttpStatusCode.Created);

        var intent = (await services.Api.GetActiveIntentAsync(user)).ShouldBe(HttpStatusCode.OK).Json;

        Assert.True(JsonNode.DeepEquals(new JsonObject { ["thread_id"] = user, ["intent_id"] = "book_flight" }, intent), intent.ToJsonString());
    }

    [Fact]
    public async Task ActiveIntentIsNullWhenNoIntentIsSet()
    {
        var user = ApiClient.NewUserId("no-intent");
        (await services.Api.PostMessageAsync(user, "hi")).ShouldBe(HttpStatusCode.OK);

        var intent = (await services.Api.GetActiveIntentAsync(user)).ShouldBe(HttpStatusCode.OK).Json;

        Assert.Equal(user, intent["thread_id"]!.GetValue<string>());
        Assert.True(intent.ContainsKey("intent_id"), intent.ToJsonString());
        Assert.Null(intent["intent_id"]);
    }

    [Fact]
    public async Task ActiveIntentOfUnknownUserIsNotFound()
    {
        (await services.Api.GetActiveIntentAsync(ApiClient.NewUserId("nobody"))).ShouldBeProblem(HttpStatusCode.NotFound);
    }
}
