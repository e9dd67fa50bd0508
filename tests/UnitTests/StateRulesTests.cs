using System.Text.Json.Nodes;
using BotStateCluster.Grains;

namespace BotStateCluster.UnitTests;

public sealed class StateRulesTests
{
    private static readonly DateTimeOffset Created = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = new DateTimeOffset(2024, 5, 1, 12, 30, 0, TimeSpan.Zero).AddTicks(1234567);

    private static UserMessage Message(string text = "hi", JsonObject? context = null) =>
        new() { ThreadId = "u1", Text = text, Context = context ?? [] };

    private static ConversationState CompletedState() => ConversationState.New("u1", Created) with
    {
        BotMessage = [new JsonObject { ["text"] = "Booked." }],
        Nlu = new JsonObject { ["intent"] = "book" },
        Context = new JsonObject { ["city"] = "Paris" },
        Intent = new JsonObject { ["id"] = "book" },
        Parameters = [new JsonObject { ["name"] = "city" }],
        ExtractedParameters = new JsonObject { ["city"] = "Paris" },
        MissingParameters = ["date"],
        Complete = true,
        CurrentNode = "done",
    };

    private static ConversationState InProgressState() => CompletedState() with { Complete = false, CurrentNode = "ask_date" };

    [Fact]
    public void UpdateSetsTheUserMessage()
    {
        var message = Message("hello there");

        var updated = StateRules.Update(ConversationState.New("u1", Created), message, Now);

        Assert.Same(message, updated.UserMessage);
    }

    [Fact]
    public void UpdateStampsTheDateTruncatedToMicroseconds()
    {
        var updated = StateRules.Update(ConversationState.New("u1", Created), Message(), Now);

        Assert.Equal(PythonDate.Truncate(Now), updated.Date);
        Assert.Equal("2024-05-01T12:30:00.123456+00:00", PythonDate.Format(updated.Date));
    }

    [Fact]
    public void UpdateMergesContextWithMessageKeysWinning()
    {
        var state = ConversationState.New("u1", Created) with { Context = new JsonObject { ["a"] = 1, ["b"] = "old" } };

        var updated = StateRules.Update(state, Message(context: new JsonObject { ["b"] = "new", ["c"] = true }), Now);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"a": 1, "b": "new", "c": true}"""), updated.Context), updated.Context.ToJsonString());
    }

    [Fact]
    public void UpdateReplacesNestedContextObjectsInsteadOfDeepMerging()
    {
        var state = ConversationState.New("u1", Created) with { Context = JsonNode.Parse("""{"user": {"name": "Ann", "age": 30}, "keep": 1}""")!.AsObject() };

        var updated = StateRules.Update(state, Message(context: JsonNode.Parse("""{"user": {"lang": "en"}}""")!.AsObject()), Now);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"user": {"lang": "en"}, "keep": 1}"""), updated.Context), updated.Context.ToJsonString());
    }

    [Fact]
    public void UpdateWithMessageContextNullValueSetsTheKeyToNullLikePythonDictUpdate()
    {
        var state = ConversationState.New("u1", Created) with { Context = new JsonObject { ["a"] = 1 } };

        var updated = StateRules.Update(state, Message(context: new JsonObject { ["a"] = null }), Now);

        Assert.True(updated.Context.ContainsKey("a"));
        Assert.Null(updated.Context["a"]);
    }

    [Fact]
    public void UpdateWithEmptyMessageContextKeepsTheContext()
    {
        var state = ConversationState.New("u1", Created) with { Context = new JsonObject { ["a"] = 1 } };

        var updated = StateRules.Update(state, Message(), Now);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"a": 1}"""), updated.Context));
    }

    [Fact]
    public void UpdateOnCompletedStateResetsWithPythonNulls()
    {
        var updated = StateRules.Update(CompletedState(), Message(), Now);

        Assert.NotNull(updated.BotMessage);
        Assert.Empty(updated.BotMessage);
        Assert.Null(updated.Intent);
        Assert.Empty(updated.Parameters);
        Assert.Empty(updated.ExtractedParameters);
        Assert.Empty(updated.MissingParameters);
        Assert.False(updated.Complete);
        Assert.Null(updated.CurrentNode);
    }

    [Fact]
    public void UpdateOnCompletedStateWritesTheResetAsPythonDoes()
    {
        var json = StateJson.ToJson(StateRules.Update(CompletedState(), Message("again"), Now));

        Assert.Equal("[]", json["bot_message"]!.ToJsonString());
        Assert.Null(json["intent"]);
        Assert.True(json.ContainsKey("intent"));
        Assert.Equal("[]", json["parameters"]!.ToJsonString());
        Assert.Equal("{}", json["extracted_parameters"]!.ToJsonString());
        Assert.Equal("[]", json["missing_parameters"]!.ToJsonString());
        Assert.False(json["complete"]!.GetValue<bool>());
        Assert.Null(json["current_node"]);
        Assert.True(json.ContainsKey("current_node"));
    }

    [Fact]
    public void UpdateOnCompletedStateStillMergesContextAndKeepsNlu()
    {
        var updated = StateRules.Update(CompletedState(), Message(context: new JsonObject { ["lang"] = "fr" }), Now);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"city": "Paris", "lang": "fr"}"""), updated.Context));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"intent": "book"}"""), updated.Nlu));
        Assert.Equal(PythonDate.Truncate(Now), updated.Date);
    }

    [Fact]
    public void UpdateOnNonCompletedStateLeavesDialogueFieldsUnchanged()
    {
        var state = InProgressState();

        var updated = StateRules.Update(state, Message(), Now);

        Assert.True(JsonNode.DeepEquals(state.BotMessage, updated.BotMessage));
        Assert.True(JsonNode.DeepEquals(state.Intent, updated.Intent));
        Assert.True(JsonNode.DeepEquals(state.Parameters, updated.Parameters));
        Assert.True(JsonNode.DeepEquals(state.ExtractedParameters, updated.ExtractedParameters));
        Assert.Equal(["date"], updated.MissingParameters.ToArray());
        Assert.False(updated.Complete);
        Assert.Equal("ask_date", updated.CurrentNode);
    }

    [Fact]
    public void UpdateOnNewStateKeepsNewStateDefaults()
    {
        var updated = StateRules.Update(ConversationState.New("u1", Created), Message(), Now);

        Assert.Null(updated.BotMessage);
        Assert.NotNull(updated.Intent);
        Assert.Empty(updated.Intent);
        Assert.Equal("", updated.CurrentNode);
        Assert.Equal("u1", updated.ThreadId);
    }

    [Fact]
    public void UpdateDoesNotMutateTheInputState()
    {
        var state = CompletedState();
        var before = StateJson.ToJson(state).ToJsonString();

        _ = StateRules.Update(state, Message(context: new JsonObject { ["city"] = "Rome", ["x"] = 1 }), Now);

        Assert.Equal(before, StateJson.ToJson(state).ToJsonString());
        Assert.True(state.Complete);
        Assert.Equal("done", state.CurrentNode);
        Assert.Equal(Created, state.Date);
    }

    [Fact]
    public void UpdatedContextDoesNotShareNodesWithTheOriginalState()
    {
        var state = ConversationState.New("u1", Created) with { Context = JsonNode.Parse("""{"user": {"name": "Ann"}}""")!.AsObject() };

        var updated = StateRules.Update(state, Message(), Now);
        updated.Context["added"] = 1;
        updated.Context["user"]!["name"] = "Bob";

        Assert.False(state.Context.ContainsKey("added"));
        Assert.Equal("Ann", state.Context["user"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public void UpdatedContextDoesNotShareNodesWithTheMessage()
    {
        var message = Message(context: JsonNode.Parse("""{"prefs": {"lang": "en"}}""")!.AsObject());

        var updated = StateRules.Update(ConversationState.New("u1", Created), message, Now);
        updated.Context["prefs"]!["lang"] = "de";

        Assert.Equal("en", message.Context["prefs"]!["lang"]!.GetValue<string>());
    }

    [Fact]
    public void ToUserMessageDefaultsToRestChannelAndEmptyContext()
    {
        var message = StateRules.ToUserMessage(new IncomingMessage("hello"), "u7");

        Assert.Equal("u7", message.ThreadId);
        Assert.Equal("hello", message.Text);
        Assert.Equal("rest", message.Channel);
        Assert.Empty(message.Context);
    }

    [Fact]
    public void ToUserMessageKeepsGivenChannelAndContext()
    {
        var message = StateRules.ToUserMessage(new IncomingMessage("hello", new JsonObject { ["k"] = "v" }, "web"), "u7");

        Assert.Equal("web", message.Channel);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"k": "v"}"""), message.Context));
    }

    [Fact]
    public void ToUserMessageCopiesTheContext()
    {
        var context = new JsonObject { ["k"] = "v" };

        var message = StateRules.ToUserMessage(new IncomingMessage("hello", context), "u7");
        context["k"] = "changed";

        Assert.Equal("v", message.Context["k"]!.GetValue<string>());
    }

    [Fact]
    public void MissingParametersAfterResetIsAnEmptyNotDefaultArray()
    {
        var updated = StateRules.Update(CompletedState(), Message(), Now);

        Assert.False(updated.MissingParameters.IsDefault);
        Assert.Empty(updated.MissingParameters);
    }
}
