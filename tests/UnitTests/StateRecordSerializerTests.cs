using System.Text.Json.Nodes;
using BotStateCluster.Grains;

namespace BotStateCluster.UnitTests;

public sealed class StateRecordSerializerTests
{
    private static readonly DateTimeOffset SavedAt = new DateTimeOffset(2024, 5, 1, 12, 30, 0, TimeSpan.Zero).AddTicks(1234560);

    private static readonly StateRecordSerializer Serializer = new();

    private static ConversationState RichState() => StateJson.FromJson(JsonNode.Parse("""
        {
          "thread_id": "0+u1",
          "user_message": {"thread_id": "0+u1", "text": "Grüße 😀", "channel": "web", "context": {"lang": "de"}},
          "bot_message": [{"text": "hallo"}],
          "nlu": {"intent": {"name": "greet", "confidence": 0.75}},
          "context": {"lang": "de", "nested": {"list": [1, 2, {"x": null}]}},
          "intent": {"id": "greet"},
          "parameters": [{"name": "city"}],
          "extracted_parameters": {"city": "Berlin"},
          "missing_parameters": ["date"],
          "complete": false,
          "current_node": "ask_date",
          "date": "2024-04-30T10:00:00.654321+00:00"
        }
        """), "0+u1", SavedAt);

    private static StateRecord RoundTrip(StateRecord record) =>
        Serializer.Deserialize<StateRecord>(Serializer.Serialize(record))!;

    [Fact]
    public void RecordRoundTripsStateAndBookkeeping()
    {
        var record = new StateRecord
        {
            State = RichState(),
            SavedAt = SavedAt,
            HistoryLimit = 100,
            RecentTurns = [new TurnReceipt("key-1", "ABCDEF", 3), new TurnReceipt("key-2", "012345", 4)],
        };

        var copy = RoundTrip(record);

        Assert.NotNull(copy.State);
        Assert.True(JsonNode.DeepEquals(StateJson.ToJson(record.State), StateJson.ToJson(copy.State)));
        Assert.Equal("0+u1", copy.State.ThreadId);
        Assert.Equal(SavedAt, copy.SavedAt);
        Assert.Equal(100, copy.HistoryLimit);
        Assert.Equal(record.RecentTurns, copy.RecentTurns);
    }

    [Fact]
    public void NullStateRoundTripsAsNull()
    {
        var record = new StateRecord { State = null, SavedAt = SavedAt, HistoryLimit = 0, RecentTurns = [new TurnReceipt("k", "f", 7)] };

        var copy = RoundTrip(record);

        Assert.Null(copy.State);
        Assert.Equal(SavedAt, copy.SavedAt);
        Assert.Equal(0, copy.HistoryLimit);
        Assert.Equal([new TurnReceipt("k", "f", 7)], copy.RecentTurns);
    }

    [Fact]
    public void NullStateIsWrittenAsExplicitJsonNull()
    {
        var document = JsonNode.Parse(Serializer.Serialize(new StateRecord { SavedAt = SavedAt }).ToString())!.AsObject();

        Assert.True(document.ContainsKey("state"));
        Assert.Null(document["state"]);
    }

    [Fact]
    public void NullableStateFieldsRoundTrip()
    {
        var state = RichState() with { Intent = null, CurrentNode = null, BotMessage = null, UserMessage = null, Complete = true };

        var copy = RoundTrip(new StateRecord { State = state, SavedAt = SavedAt });

        Assert.NotNull(copy.State);
        Assert.Null(copy.State.Intent);
        Assert.Null(copy.State.CurrentNode);
        Assert.Null(copy.State.BotMessage);
        Assert.Null(copy.State.UserMessage);
        Assert.True(copy.State.Complete);
    }

    [Fact]
    public void OutputHasTopLevelStateInContractShapeAndMeta()
    {
        var record = new StateRecord { State = RichState(), SavedAt = SavedAt, HistoryLimit = 5, RecentTurns = [new TurnReceipt("k", "f", 2)] };

        var document = JsonNode.Parse(Serializer.Serialize(record).ToString())!.AsObject();

        Assert.Equal(["state", "meta"], document.Select(property => property.Key).ToArray());
        Assert.True(JsonNode.DeepEquals(StateJson.ToJson(record.State!), document["state"]));
        Assert.Equal("ask_date", document["state"]!["current_node"]!.GetValue<string>());
        Assert.Equal("2024-04-30T10:00:00.654321+00:00", document["state"]!["date"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"saved_at": "2024-05-01T12:30:00.123456+00:00", "history_limit": 5, "recent_turns": [["k", "f", 2]]}"""),
            document["meta"]));
    }

    [Fact]
    public void TheChangeAWriteRecordsIsInItsMetaAndNotReadBack()
    {
        var erasure = new StateRecord { SavedAt = SavedAt, Change = new RecordedChange(ChangeKinds.Erased, ErasureReasons.Expired) };
        var turn = new StateRecord { State = RichState(), SavedAt = SavedAt, Change = new RecordedChange(ChangeKinds.Updated) };

        var erasureMeta = JsonNode.Parse(Serializer.Serialize(erasure).ToString())!["meta"]!;
        var turnMeta = JsonNode.Parse(Serializer.Serialize(turn).ToString())!["meta"]!;

        Assert.Equal("erased", erasureMeta["change"]!.GetValue<string>());
        Assert.Equal("expired", erasureMeta["reason"]!.GetValue<string>());
        Assert.Equal("updated", turnMeta["change"]!.GetValue<string>());
        Assert.False(turnMeta.AsObject().ContainsKey("reason"));
        Assert.Null(RoundTrip(turn).Change);
    }

    [Fact]
    public void ReceiptsStoredAsObjectsBeforeTheyBecameArraysAreStillRead()
    {
        var stored = """{"state": null, "meta": {"saved_at": "2024-05-01T12:30:00.123456+00:00", "history_limit": 5, "recent_turns": [{"key": "k", "fingerprint": "f", "version": 2}, ["k2", "f2", 3]]}}""";

        var record = Serializer.Deserialize<StateRecord>(BinaryData.FromString(stored))!;

        Assert.Equal([new TurnReceipt("k", "f", 2), new TurnReceipt("k2", "f2", 3)], record.RecentTurns);
    }

    [Fact]
    public void SavedAtIsStoredWithMicrosecondPrecision()
    {
        var record = new StateRecord { SavedAt = new DateTimeOffset(2024, 5, 1, 14, 30, 0, TimeSpan.FromHours(2)).AddTicks(1234567) };

        var copy = RoundTrip(record);

        Assert.Equal(PythonDate.Truncate(record.SavedAt), copy.SavedAt);
        Assert.Equal(TimeSpan.Zero, copy.SavedAt.Offset);
    }

    [Fact]
    public void EmptyRecentTurnsRoundTripAsEmpty()
    {
        var copy = RoundTrip(new StateRecord { State = RichState(), SavedAt = SavedAt });

        Assert.NotNull(copy.RecentTurns);
        Assert.Empty(copy.RecentTurns);
    }

    [Fact]
    public void SerializeRefusesOtherTypes()
    {
        Assert.Throws<NotSupportedException>(() => Serializer.Serialize("not a record"));
        Assert.Throws<NotSupportedException>(() => Serializer.Serialize(RichState()));
    }

    [Fact]
    public void SerializeRefusesNull()
    {
        Assert.Throws<NotSupportedException>(() => Serializer.Serialize<StateRecord>(null));
    }

    [Fact]
    public void DeserializeRefusesOtherTypes()
    {
        var data = Serializer.Serialize(new StateRecord { SavedAt = SavedAt });

        Assert.Throws<NotSupportedException>(() => Serializer.Deserialize<string>(data));
        Assert.Throws<NotSupportedException>(() => Serializer.Deserialize<ConversationState>(data));
    }
}
