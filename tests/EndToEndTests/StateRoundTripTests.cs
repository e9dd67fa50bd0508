using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace BotStateCluster.EndToEndTests;

[Collection(ServiceCollection.Name)]
public sealed partial class StateRoundTripTests(ServiceFixture services)
{
    private static readonly string[] ContractFields =
    [
        "thread_id", "user_message", "bot_message", "nlu", "context", "intent", "parameters",
        "extracted_parameters", "missing_parameters", "complete", "current_node", "date",
    ];

    [Fact]
    public async Task PostMessageCreatesStateThenReadBackReturnsIt()
    {
        var user = ApiClient.NewUserId("roundtrip");

        var posted = (await services.Api.PostMessageAsync(user, "hello", new JsonObject { ["lang"] = "en" })).ShouldBe(HttpStatusCode.OK);

        Assert.Equal("\"1\"", posted.ETag);
        var state = posted.Json;
        Assert.Equal(ContractFields.Order(), state.Select(field => field.Key).Order());
        Assert.Equal(user, state["thread_id"]!.GetValue<string>());
        var message = Assert.IsType<JsonObject>(state["user_message"]);
        Assert.True(JsonNode.DeepEquals(
            new JsonObject { ["thread_id"] = user, ["text"] = "hello", ["channel"] = "rest", ["context"] = new JsonObject { ["lang"] = "en" } },
            message), message.ToJsonString());
        Assert.Null(state["bot_message"]);
        Assert.True(JsonNode.DeepEquals(new JsonObject(), state["nlu"]));
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["lang"] = "en" }, state["context"]));
        Assert.True(JsonNode.DeepEquals(new JsonObject(), state["intent"]));
        Assert.True(JsonNode.DeepEquals(new JsonArray(), state["parameters"]));
        Assert.True(JsonNode.DeepEquals(new JsonObject(), state["extracted_parameters"]));
        Assert.True(JsonNode.DeepEquals(new JsonArray(), state["missing_parameters"]));
        Assert.False(state["complete"]!.GetValue<bool>());
        Assert.Equal("", state["current_node"]!.GetValue<string>());
        var date = state["date"]!.GetValue<string>();
        Assert.Matches(PythonIsoDate(), date);
        Assert.InRange(DateTimeOffset.Parse(date, System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));

        var read = (await services.Api.GetStateAsync(user)).ShouldBe(HttpStatusCode.OK);

        Assert.Equal(posted.ETag, read.ETag);
        Assert.True(JsonNode.DeepEquals(state, read.Json), $"posted {state.ToJsonString()}{Environment.NewLine}read   {read.Body}");
    }

    [Fact]
    public async Task GetOfUnknownUserIsNotFoundProblem()
    {
        var response = (await services.Api.GetStateAsync(ApiClient.NewUserId("unknown"))).ShouldBeProblem(HttpStatusCode.NotFound);

        Assert.Null(response.ETag);
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}\+00:00$")]
    internal static partial Regex PythonIsoDate();
}
