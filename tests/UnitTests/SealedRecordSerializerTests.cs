using System.Text;
using System.Text.Json.Nodes;
using BotStateCluster.Grains;

namespace BotStateCluster.UnitTests;

public sealed class SealedRecordSerializerTests
{
    [Fact]
    public void ASealedRecordIsStoredAsItsEnvelopeWithOnlyTheListingFieldsInPlaintext()
    {
        var record = new StateRecord
        {
            State = ConversationState.New("u1", DateTimeOffset.UnixEpoch) with { CurrentNode = "greeting" },
            HistoryLimit = 5,
            RecentTurns = [new TurnReceipt("key-1", "fingerprint", 2)],
            Change = new RecordedChange(ChangeKinds.Updated),
            Sealed = new SealedRecord([1, 2, 3], [4, 5], "greeting", "order"),
        };

        var stored = JsonNode.Parse(new StateRecordSerializer().Serialize(record).ToString())!;

        Assert.Equal("AQID", stored["state"]!["sealed"]!.GetValue<string>());
        Assert.Equal("greeting", stored["state"]!["current_node"]!.GetValue<string>());
        Assert.Equal("order", stored["state"]!["intent"]!["id"]!.GetValue<string>());
        Assert.Null(stored["state"]!["thread_id"]);
        Assert.Equal("BAU=", stored["meta"]!["sealed_turns"]!.GetValue<string>());
        Assert.Null(stored["meta"]!["recent_turns"]);
        Assert.Equal("updated", stored["meta"]!["change"]!.GetValue<string>());
        Assert.DoesNotContain("key-1", stored.ToJsonString());
    }

    [Fact]
    public void ASealedRecordReadsBackSealedForTheGrainToOpen()
    {
        var serializer = new StateRecordSerializer();
        var stored = serializer.Serialize(new StateRecord
        {
            State = ConversationState.New("u1", DateTimeOffset.UnixEpoch),
            RecentTurns = [new TurnReceipt("key-1", "fingerprint", 2)],
            Sealed = new SealedRecord([1, 2, 3], [4, 5]),
        });

        var read = serializer.Deserialize<StateRecord>(stored)!;

        Assert.True(read.HasState);
        Assert.Null(read.StateJson);
        Assert.Equal(new byte[] { 1, 2, 3 }, read.Sealed!.State);
        Assert.Equal(new byte[] { 4, 5 }, read.Sealed.Receipts);
        Assert.Empty(read.RecentTurns);
    }

    [Fact]
    public void APlaintextRecordIsStoredExactlyAsWithoutEncryption()
    {
        var record = new StateRecord { State = ConversationState.New("u1", DateTimeOffset.UnixEpoch), RecentTurns = [new TurnReceipt("k", "f", 1)] };

        var text = Encoding.UTF8.GetString(new StateRecordSerializer().Serialize(record));

        Assert.Contains("\"recent_turns\":[[\"k\",\"f\",1]]", text);
        Assert.DoesNotContain("sealed", text);
    }
}
