using System.Text.Json;
using System.Text.Json.Nodes;

namespace BotStateCluster.UnitTests;

public sealed class StateJsonTests
{
    private static readonly DateTimeOffset Now = new DateTimeOffset(2024, 5, 1, 12, 30, 0, TimeSpan.Zero).AddTicks(1234567);

    private static readonly string[] ContractKeys =
    [
        "thread_id", "user_message", "bot_message", "nlu", "context", "intent", "parameters",
        "extracted_parameters", "missing_parameters", "complete", "current_node", "date",
    ];

    private static ConversationState Read(string json, string threadId = "u1") =>
        StateJson.FromJson(JsonNode.Parse(json), threadId, Now);

    private static StateFormatException Refused(string json, string threadId = "u1") =>
        Assert.Throws<StateFormatException>(() => Read(json, threadId));

    // ---- to_dict ----

    [Fact]
    public void NewStateWritesExactlyTheContractKeysInPythonOrder()
    {
        var json = StateJson.ToJson(ConversationState.New("u1", Now));

        Assert.Equal(ContractKeys, json.Select(property => property.Key).ToArray());
    }

    [Fact]
    public void TheStoredAndServedJsonIsToDictAndReadsBackToTheSameBytes()
    {
        var state = Read("""
            {"user_message": {"text": "héllo 1+1", "channel": "web", "context": {"n": 1E+2}}, "bot_message": [{"text": "hi"}],
             "nlu": {"score": -0}, "context": {"locale": "fr"}, "intent": {"id": "book"}, "parameters": [{"name": "city"}],
             "extracted_parameters": {"city": "Köln"}, "missing_parameters": ["date"], "complete": true, "current_node": null}
            """);

        var json = new VersionedState(state, 7).Json;
        var text = System.Text.Encoding.UTF8.GetString(json);

        Assert.Equal(StateJson.ToJson(state).ToJsonString(new JsonSerializerOptions { Encoder = StateJson.Encoder }), text);
        Assert.Equal(ContractKeys, JsonNode.Parse(json)!.AsObject().Select(property => property.Key).ToArray());
        Assert.Equal(json, StateJson.ToUtf8Json(StateJson.FromStoredJson(JsonNode.Parse(json)!)));
        Assert.Contains("\"n\":1E+2", text, StringComparison.Ordinal);
        Assert.Contains("héllo 1+1", text, StringComparison.Ordinal);
    }

    [Fact]
    public void NewStateWritesPythonDefaults()
    {
        var json = StateJson.ToJson(ConversationState.New("u1", Now));

        var expected = JsonNode.Parse("""
            {
              "thread_id": "u1",
              "user_message": null,
              "bot_message": null,
              "nlu": {},
              "context": {},
              "intent": {},
              "parameters": [],
              "extracted_parameters": {},
              "missing_parameters": [],
              "complete": false,
              "current_node": "",
              "date": "2024-05-01T12:30:00.123456+00:00"
            }
            """);
        Assert.True(JsonNode.DeepEquals(expected, json), json.ToJsonString());
    }

    [Fact]
    public void NewStateSerializesNullsExplicitlyNotByOmission()
    {
        var text = JsonSerializer.Serialize(StateJson.ToJson(ConversationState.New("u1", Now)));

        Assert.Contains("\"user_message\":null", text, StringComparison.Ordinal);
        Assert.Contains("\"bot_message\":null", text, StringComparison.Ordinal);
        Assert.Contains("\"current_node\":\"\"", text, StringComparison.Ordinal);
        Assert.Contains("\"complete\":false", text, StringComparison.Ordinal);
    }

    [Fact]
    public void DateIsWrittenInUtcWithMicrosecondsAndPlusZeroOffset()
    {
        var state = ConversationState.New("u1", new DateTimeOffset(2024, 5, 1, 14, 30, 0, TimeSpan.FromHours(2)));

        Assert.Equal("2024-05-01T12:30:00.000000+00:00", StateJson.ToJson(state)["date"]!.GetValue<string>());
    }

    [Fact]
    public void UserMessageIsWrittenWithItsFourFields()
    {
        var state = ConversationState.New("u1", Now) with
        {
            UserMessage = new UserMessage { ThreadId = "u1", Text = "hi", Channel = "web", Context = new JsonObject { ["k"] = 1 } },
        };

        var message = StateJson.ToJson(state)["user_message"]!.AsObject();

        Assert.Equal(["thread_id", "text", "channel", "context"], message.Select(property => property.Key).ToArray());
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"thread_id":"u1","text":"hi","channel":"web","context":{"k":1}}"""), message));
    }

    [Fact]
    public void ToJsonDoesNotShareNodesWithTheState()
    {
        var state = ConversationState.New("u1", Now) with { Context = new JsonObject { ["a"] = 1 } };

        var json = StateJson.ToJson(state);
        json["context"]!.AsObject()["a"] = 2;
        json["nlu"]!.AsObject()["x"] = true;

        Assert.Equal(1, state.Context["a"]!.GetValue<int>());
        Assert.Empty(state.Nlu);
    }

    // ---- from_dict: defaults and unknown fields ----

    [Fact]
    public void EmptyObjectTakesEveryDefault()
    {
        var state = Read("{}");

        Assert.True(JsonNode.DeepEquals(StateJson.ToJson(ConversationState.New("u1", Now)), StateJson.ToJson(state)));
        Assert.Equal("u1", state.ThreadId);
        Assert.Null(state.UserMessage);
        Assert.Null(state.BotMessage);
        Assert.NotNull(state.Intent);
        Assert.Empty(state.Intent);
        Assert.Equal("", state.CurrentNode);
        Assert.False(state.Complete);
        Assert.Empty(state.MissingParameters);
    }

    [Fact]
    public void MissingDateTakesNowTruncatedToMicroseconds()
    {
        var state = Read("""{"complete": true}""");

        Assert.Equal(PythonDate.Truncate(Now), state.Date);
        Assert.Equal(0, state.Date.Ticks % 10);
        Assert.True(state.Complete);
    }

    [Fact]
    public void MissingThreadIdTakesTheUserIdOfTheUrl()
    {
        Assert.Equal("someone", Read("""{"nlu": {"a": 1}}""", "someone").ThreadId);
    }

    [Fact]
    public void MatchingThreadIdIsAccepted()
    {
        Assert.Equal("u1", Read("""{"thread_id": "u1"}""").ThreadId);
    }

    [Fact]
    public void UnknownFieldsAreIgnored()
    {
        var state = Read("""{"unknown": {"deep": [1, 2]}, "another": 5, "context": {"a": 1}}""");

        var json = StateJson.ToJson(state);
        Assert.False(json.ContainsKey("unknown"));
        Assert.False(json.ContainsKey("another"));
        Assert.Equal(1, state.Context["a"]!.GetValue<int>());
    }

    // ---- from_dict: round trip ----

    [Fact]
    public void EveryFieldRoundTripsUnchanged()
    {
        const string Input = """
            {
              "thread_id": "u1",
              "user_message": {"thread_id": "u1", "text": "Bonjour, ça va? 😀", "channel": "web", "context": {"lang": "fr", "n": [1, 2.5, -3e2]}},
              "bot_message": [{"text": "hello"}, {"buttons": [{"title": "ja", "payload": null}], "nested": {"deep": {"deeper": true}}}],
              "nlu": {"intent": {"name": "greet", "confidence": 0.9876543210123}, "entities": [{"entity": "city", "value": "Zürich"}]},
              "context": {"user": {"name": "Ünïcødé 日本"}, "count": 12345678901234567890, "flag": false, "nothing": null},
              "intent": {"id": "book_flight", "name": "Book a flight", "parameters": [{"name": "city", "required": true}]},
              "parameters": [{"name": "city", "type": "sys.text", "prompt": "Where?"}, {"name": "date"}],
              "extracted_parameters": {"city": "Paris", "seats": 2, "window": true, "meta": {"source": ["nlu", "slot"]}},
              "missing_parameters": ["date", "class"],
              "complete": true,
              "current_node": "ask_date",
              "date": "2023-11-05T08:09:10.123456+00:00"
            }
            """;
        var input = JsonNode.Parse(Input);

        var output = StateJson.ToJson(StateJson.FromJson(input, "u1", Now));

        Assert.True(JsonNode.DeepEquals(input, output), output.ToJsonString());
        Assert.Equal(input!.AsObject().Select(property => property.Key), output.Select(property => property.Key));
    }

    [Fact]
    public void NullableFieldsRoundTripAsNull()
    {
        const string Input = """
            {
              "thread_id": "u1", "user_message": null, "bot_message": null, "nlu": {}, "context": {},
              "intent": null, "parameters": [], "extracted_parameters": {}, "missing_parameters": [],
              "complete": false, "current_node": null, "date": "2024-01-02T03:04:05.000006+00:00"
            }
            """;
        var input = JsonNode.Parse(Input);

        var state = StateJson.FromJson(input, "u1", Now);

        Assert.Null(state.Intent);
        Assert.Null(state.CurrentNode);
        Assert.Null(state.BotMessage);
        Assert.True(JsonNode.DeepEquals(input, StateJson.ToJson(state)));
    }

    [Fact]
    public void EmptyBotMessageArrayStaysAnEmptyArrayNotNull()
    {
        var state = Read("""{"bot_message": []}""");

        Assert.NotNull(state.BotMessage);
        Assert.Empty(state.BotMessage);
        Assert.Equal("[]", StateJson.ToJson(state)["bot_message"]!.ToJsonString());
    }

    [Fact]
    public void FromJsonDoesNotShareNodesWithTheInput()
    {
        var input = JsonNode.Parse("""{"context": {"a": 1}, "nlu": {"b": 2}, "parameters": [{"c": 3}], "bot_message": [{"d": 4}]}""")!;

        var state = StateJson.FromJson(input, "u1", Now);
        input["context"]!["a"] = 100;
        input["nlu"]!["b"] = 200;
        input["parameters"]![0]!["c"] = 300;
        input["bot_message"]![0]!["d"] = 400;

        Assert.Equal(1, state.Context["a"]!.GetValue<int>());
        Assert.Equal(2, state.Nlu["b"]!.GetValue<int>());
        Assert.Equal(3, state.Parameters[0]!["c"]!.GetValue<int>());
        Assert.Equal(4, state.BotMessage![0]!["d"]!.GetValue<int>());
    }

    [Fact]
    public void FromStoredJsonReadsTheThreadIdFromTheJson()
    {
        var stored = StateJson.ToJson(ConversationState.New("stored-user", Now) with { CurrentNode = "n1" });

        var state = StateJson.FromStoredJson(stored);

        Assert.Equal("stored-user", state.ThreadId);
        Assert.Equal("n1", state.CurrentNode);
        Assert.Equal(PythonDate.Truncate(Now), state.Date);
    }

    [Fact]
    public void FromStoredJsonTakesThePartsOfTheStoredTreeInsteadOfCopyingThem()
    {
        var stored = StateJson.ToJson(Read("""
            {"user_message": {"text": "hi", "context": {"m": 1}}, "bot_message": [{"d": 4}], "nlu": {"b": 2}, "context": {"a": 1},
             "intent": {"id": "book"}, "parameters": [{"c": 3}], "extracted_parameters": {"e": 5}}
            """));
        var expected = stored.ToJsonString();
        JsonNode[] parts =
        [
            stored["user_message"]!["context"]!, stored["bot_message"]!, stored["nlu"]!, stored["context"]!, stored["intent"]!,
            stored["parameters"]!, stored["extracted_parameters"]!,
        ];

        var state = StateJson.FromStoredJson(stored);

        JsonNode[] taken = [state.UserMessage!.Context, state.BotMessage!, state.Nlu, state.Context, state.Intent!, state.Parameters, state.ExtractedParameters];
        Assert.All(parts.Zip(taken), pair => Assert.Same(pair.First, pair.Second));
        Assert.All(taken, part => Assert.Null(part.Parent));
        Assert.Equal(expected, StateJson.ToJson(state).ToJsonString());
    }

    [Fact]
    public void FromStoredJsonWithoutThreadIdIsRefused()
    {
        Assert.Throws<StateFormatException>(() => StateJson.FromStoredJson(JsonNode.Parse("""{"nlu": {}}""")!));
    }

    // ---- from_dict: user_message coercion ----

    [Fact]
    public void UserMessageWithOnlyTextTakesStateThreadIdRestChannelAndEmptyContext()
    {
        var message = Read("""{"user_message": {"text": "hello"}}""", "user-42").UserMessage;

        Assert.NotNull(message);
        Assert.Equal("user-42", message.ThreadId);
        Assert.Equal("hello", message.Text);
        Assert.Equal("rest", message.Channel);
        Assert.Empty(message.Context);
    }

    [Fact]
    public void UserMessageWithNullOptionalFieldsTakesDefaults()
    {
        var message = Read("""{"user_message": {"text": "hello", "thread_id": null, "channel": null, "context": null}}""").UserMessage;

        Assert.NotNull(message);
        Assert.Equal("u1", message.ThreadId);
        Assert.Equal("rest", message.Channel);
        Assert.Empty(message.Context);
    }

    [Fact]
    public void UserMessageKeepsGivenChannelAndContext()
    {
        var message = Read("""{"user_message": {"text": "hello", "channel": "telegram", "context": {"k": [1]}}}""").UserMessage;

        Assert.NotNull(message);
        Assert.Equal("telegram", message.Channel);
        Assert.Equal("[1]", message.Context["k"]!.ToJsonString());
    }

    [Theory]
    [InlineData("\"hello\"")]
    [InlineData("42")]
    [InlineData("true")]
    [InlineData("[]")]
    [InlineData("[{\"text\": \"hi\"}]")]
    [InlineData("{}")]
    [InlineData("{\"channel\": \"web\"}")]
    [InlineData("{\"text\": 5}")]
    [InlineData("{\"text\": null}")]
    [InlineData("{\"text\": {\"value\": \"hi\"}}")]
    [InlineData("{\"text\": [\"hi\"]}")]
    [InlineData("null")]
    public void UserMessageThatIsNotAnObjectWithStringTextBecomesNull(string userMessage)
    {
        var state = Read($$"""{"user_message": {{userMessage}}, "current_node": "kept"}""");

        Assert.Null(state.UserMessage);
        Assert.Equal("kept", state.CurrentNode);
        Assert.Null(StateJson.ToJson(state)["user_message"]);
    }

    // ---- from_dict: wrong types ----

    [Theory]
    [InlineData("nlu", "[]")]
    [InlineData("nlu", "\"x\"")]
    [InlineData("context", "[]")]
    [InlineData("context", "1")]
    [InlineData("complete", "\"yes\"")]
    [InlineData("complete", "1")]
    [InlineData("complete", "{}")]
    [InlineData("missing_parameters", "[1]")]
    [InlineData("missing_parameters", "[\"a\", null]")]
    [InlineData("missing_parameters", "\"a\"")]
    [InlineData("missing_parameters", "{}")]
    [InlineData("parameters", "[1]")]
    [InlineData("parameters", "[\"name\"]")]
    [InlineData("parameters", "[{}, null]")]
    [InlineData("parameters", "{}")]
    [InlineData("intent", "\"x\"")]
    [InlineData("intent", "[]")]
    [InlineData("current_node", "5")]
    [InlineData("current_node", "{}")]
    [InlineData("current_node", "false")]
    [InlineData("bot_message", "{}")]
    [InlineData("bot_message", "\"hi\"")]
    [InlineData("bot_message", "[\"hi\"]")]
    [InlineData("extracted_parameters", "[]")]
    [InlineData("extracted_parameters", "\"x\"")]
    [InlineData("thread_id", "5")]
    [InlineData("date", "12345")]
    [InlineData("date", "{}")]
    public void WrongTypedFieldIsRefusedNamingTheField(string field, string value)
    {
        var error = Refused($$"""{"{{field}}": {{value}}}""");

        Assert.Contains(field, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nlu")]
    [InlineData("context")]
    [InlineData("parameters")]
    [InlineData("extracted_parameters")]
    [InlineData("missing_parameters")]
    [InlineData("complete")]
    [InlineData("date")]
    [InlineData("thread_id")]
    public void ExplicitNullWhereTheContractHasNoNullIsRefused(string field)
    {
        var error = Refused($$"""{"{{field}}": null}""");

        Assert.Contains(field, error.Message, StringComparison.Ordinal);
        Assert.Contains("null", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NullIntentCurrentNodeAndBotMessageAreAccepted()
    {
        var state = Read("""{"intent": null, "current_node": null, "bot_message": null}""");

        Assert.Null(state.Intent);
        Assert.Null(state.CurrentNode);
        Assert.Null(state.BotMessage);
    }

    [Fact]
    public void WrongTypedUserMessageFieldIsRefusedWithItsPath()
    {
        var error = Refused("""{"user_message": {"text": "hi", "channel": 5}}""");

        Assert.Contains("user_message.channel", error.Message, StringComparison.Ordinal);
    }

    // ---- from_dict: dates ----

    [Theory]
    [InlineData("yesterday")]
    [InlineData("2024-13-01")]
    [InlineData("2024-02-30T00:00:00")]
    [InlineData("2024-05-01T25:00:00")]
    [InlineData("")]
    [InlineData("01/05/2024")]
    public void UnparseableDateIsRefusedNamingTheDate(string date)
    {
        var error = Refused($$"""{"date": "{{date}}"}""");

        Assert.Contains("date", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DateWithATrailingNewlineIsRefused()
    {
        var error = Refused("""{"date": "2024-05-01T12:30:00+00:00\n"}""");

        Assert.Contains("date", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2024-05-01T12:30:00.123456Z", "2024-05-01T12:30:00.123456+00:00")]
    [InlineData("2024-05-01T14:30:00.123456+02:00", "2024-05-01T12:30:00.123456+00:00")]
    [InlineData("2024-05-01T07:30:00-05:00", "2024-05-01T12:30:00.000000+00:00")]
    [InlineData("2024-05-01T12:30:00.123456", "2024-05-01T12:30:00.123456+00:00")]
    [InlineData("2024-05-01T12:30:00.1234567+00:00", "2024-05-01T12:30:00.123456+00:00")]
    [InlineData("2024-05-01T12:30:00+00:00", "2024-05-01T12:30:00.000000+00:00")]
    [InlineData("2024-05-01", "2024-05-01T00:00:00.000000+00:00")]
    [InlineData("2024-05-01 12:30:00.5", "2024-05-01T12:30:00.500000+00:00")]
    [InlineData("2024-05-01T01:00:00+02:00", "2024-04-30T23:00:00.000000+00:00")]
    public void DateIsNormalisedToUtcMicroseconds(string input, string expected)
    {
        var state = Read($$"""{"date": "{{input}}"}""");

        Assert.Equal(TimeSpan.Zero, state.Date.Offset);
        Assert.Equal(expected, StateJson.ToJson(state)["date"]!.GetValue<string>());
    }

    // ---- from_dict: thread id, body, NUL ----

    [Fact]
    public void ThreadIdDifferentFromTheUrlUserIdIsRefused()
    {
        var error = Refused("""{"thread_id": "other"}""", "u1");

        Assert.Contains("thread_id", error.Message, StringComparison.Ordinal);
        Assert.Contains("other", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ThreadIdComparisonIsCaseSensitive()
    {
        Refused("""{"thread_id": "U1"}""", "u1");
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("[{\"thread_id\": \"u1\"}]")]
    [InlineData("\"state\"")]
    [InlineData("42")]
    [InlineData("true")]
    [InlineData("null")]
    public void BodyThatIsNotAnObjectIsRefused(string body)
    {
        var error = Assert.Throws<StateFormatException>(() => StateJson.FromJson(JsonNode.Parse(body), "u1", Now));

        Assert.Contains("object", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"current_node": "a\u0000b"}""")]
    [InlineData("""{"context": {"deep": {"deeper": ["ok", "bad\u0000"]}}}""")]
    [InlineData("""{"context": {"k\u0000ey": 1}}""")]
    [InlineData("""{"nlu": {"outer": {"in\u0000ner": true}}}""")]
    [InlineData("""{"bot_message": [{"text": "\u0000"}]}""")]
    [InlineData("""{"missing_parameters": ["x", "y\u0000"]}""")]
    [InlineData("""{"user_message": {"text": "hi\u0000"}}""")]
    [InlineData("""{"user_message": {"text": "hi", "context": {"a": [{"b": "\u0000"}]}}}""")]
    [InlineData("""{"unknown_field": "\u0000"}""")]
    [InlineData("""{"\u0000": 1}""")]
    [InlineData("""{"thread_id": "u1\u0000"}""")]
    public void NulCharacterAnywhereIsRefused(string body)
    {
        var error = Refused(body);

        Assert.Contains("U+0000", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"current_node": "\ud800"}""")]
    [InlineData("""{"context": {"deep": ["ok", "x\udc00y"]}}""")]
    [InlineData("""{"context": {"\ud800": 1}}""")]
    [InlineData("""{"user_message": {"text": "\ud83d"}}""")]
    public void LoneSurrogateIsRefusedAsAFormatErrorNotAnInternalError(string body)
    {
        // PostgreSQL jsonb and UTF-8 cannot hold an unpaired surrogate; it must be a 400 like U+0000, not a 500.
        var exception = Record.Exception(() => Read(body));

        Assert.IsType<StateFormatException>(exception);
    }

    [Fact]
    public void PairedSurrogatesEscapedInJsonAreAccepted()
    {
        var state = Read("""{"current_node": "\ud83d\ude00"}""");

        Assert.Equal("😀", state.CurrentNode);
    }

    [Fact]
    public void NulCharacterErrorNamesThePath()
    {
        var error = Refused("""{"context": {"deep": {"list": ["ok", "bad\u0000"]}}}""");

        Assert.Contains("context.deep.list[1]", error.Message, StringComparison.Ordinal);
    }
}
