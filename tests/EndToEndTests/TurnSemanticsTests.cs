using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BotStateCluster.EndToEndTests;

[Collection(ServiceCollection.Name)]
public sealed class TurnSemanticsTests(ServiceFixture services)
{
    [Fact]
    public async Task ContextIsShallowMergedOverSeveralMessagesWithMessageKeysWinning()
    {
        var user = ApiClient.NewUserId("merge");

        (await services.Api.PostMessageAsync(user, "one", new JsonObject { ["a"] = 1, ["b"] = new JsonObject { ["deep"] = 1 } })).ShouldBe(HttpStatusCode.OK);
        (await services.Api.PostMessageAsync(user, "two", new JsonObject { ["b"] = new JsonObject { ["other"] = 2 }, ["c"] = "x" })).ShouldBe(HttpStatusCode.OK);
        var third = (await services.Api.PostMessageAsync(user, "three")).ShouldBe(HttpStatusCode.OK);

        var state = third.Json;
        Assert.Equal("\"3\"", third.ETag);
        Assert.True(
            JsonNode.DeepEquals(new JsonObject { ["a"] = 1, ["b"] = new JsonObject { ["other"] = 2 }, ["c"] = "x" }, state["context"]),
            $"context after three turns: {state["context"]?.ToJsonString()}");
        Assert.Equal("three", state["user_message"]!["text"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(new JsonObject(), state["user_message"]!["context"]), "a message without context records {}");
    }

    [Fact]
    public async Task MessageAfterCompletedIntentResetsTheTurnFieldsToPythonsNulls()
    {
        var user = ApiClient.NewUserId("reset");
        var completed = new JsonObject
        {
            ["thread_id"] = user,
            ["bot_message"] = new JsonArray(new JsonObject { ["text"] = "Booked." }),
            ["nlu"] = new JsonObject { ["intent"] = "book_flight" },
            ["context"] = new JsonObject { ["city"] = "Paris" },
            ["intent"] = new JsonObject { ["id"] = "book_flight" },
            ["parameters"] = new JsonArray(new JsonObject { ["name"] = "city" }),
            ["extracted_parameters"] = new JsonObject { ["city"] = "Paris" },
            ["missing_parameters"] = new JsonArray("date"),
            ["complete"] = true,
            ["current_node"] = "confirm",
        };
        (await services.Api.PutStateAsync(user, completed)).ShouldBe(HttpStatusCode.Created);

        var turn = (await services.Api.PostMessageAsync(user, "and now?", new JsonObject { ["lang"] = "fr" })).ShouldBe(HttpStatusCode.OK);

        var state = turn.Json;
        Assert.Equal(JsonValueKind.Null, Kind(state, "intent"));
        Assert.Equal(JsonValueKind.Null, Kind(state, "current_node"));
        Assert.True(JsonNode.DeepEquals(new JsonArray(), state["bot_message"]), state.ToJsonString());
        Assert.True(JsonNode.DeepEquals(new JsonArray(), state["parameters"]), state.ToJsonString());
        Assert.True(JsonNode.DeepEquals(new JsonObject(), state["extracted_parameters"]), state.ToJsonString());
        Assert.True(JsonNode.DeepEquals(new JsonArray(), state["missing_parameters"]), state.ToJsonString());
        Assert.False(state["complete"]!.GetValue<bool>());
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["city"] = "Paris", ["lang"] = "fr" }, state["context"]), "context survives the reset and merges");
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["intent"] = "book_flight" }, state["nlu"]), "nlu is not part of the reset");
        Assert.Equal("and now?", state["user_message"]!["text"]!.GetValue<string>());

        var read = (await services.Api.GetStateAsync(user)).ShouldBe(HttpStatusCode.OK);
        Assert.True(JsonNode.DeepEquals(state, read.Json), "the reset is what is stored");
        (await services.Api.GetActiveIntentAsync(user)).ShouldBe(HttpStatusCode.OK);
        Assert.Null((await services.Api.GetActiveIntentAsync(user)).Json["intent_id"]);
    }

    [Fact]
    public async Task MessageWhileIntentIncompleteKeepsTheTurnFields()
    {
        var user = ApiClient.NewUserId("incomplete");
        var ongoing = new JsonObject
        {
            ["intent"] = new JsonObject { ["id"] = "book_flight" },
            ["missing_parameters"] = new JsonArray("date"),
            ["current_node"] = "ask_date",
        };
        (await services.Api.PutStateAsync(user, ongoing)).ShouldBe(HttpStatusCode.Created);

        var state = (await services.Api.PostMessageAsync(user, "tomorrow")).ShouldBe(HttpStatusCode.OK).Json;

        Assert.Equal("book_flight", state["intent"]!["id"]!.GetValue<string>());
        Assert.Equal("ask_date", state["current_node"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(new JsonArray("date"), state["missing_parameters"]));
    }

    private static JsonValueKind Kind(JsonObject state, string field)
    {
        Assert.True(state.ContainsKey(field), $"{field} is missing from {state.ToJsonString()}");
        return state[field]?.GetValueKind() ?? JsonValueKind.Null;
    }
}
