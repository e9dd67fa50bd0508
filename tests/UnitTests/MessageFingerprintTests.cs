using System.Text.Json.Nodes;
using BotStateCluster.Grains;

namespace BotStateCluster.UnitTests;

public sealed class MessageFingerprintTests
{
    private static IncomingMessage Message(string text = "hi", string? context = """{"a": 1}""", string? channel = "web") =>
        new(text, context is null ? null : JsonNode.Parse(context)!.AsObject(), channel);

    [Fact]
    public void SameMessageHasTheSameFingerprint()
    {
        Assert.Equal(MessageFingerprint.Of(Message()), MessageFingerprint.Of(Message()));
    }

    [Fact]
    public void FingerprintIsStableHexText()
    {
        var fingerprint = MessageFingerprint.Of(Message());

        Assert.Equal(16, fingerprint.Length);
        Assert.All(fingerprint, character => Assert.True(char.IsAsciiHexDigitUpper(character) || char.IsAsciiDigit(character)));
    }

    [Fact]
    public void DifferentTextGivesADifferentFingerprint()
    {
        Assert.NotEqual(MessageFingerprint.Of(Message("hi")), MessageFingerprint.Of(Message("hi!")));
    }

    [Fact]
    public void DifferentChannelGivesADifferentFingerprint()
    {
        Assert.NotEqual(MessageFingerprint.Of(Message(channel: "web")), MessageFingerprint.Of(Message(channel: "sms")));
    }

    [Fact]
    public void DifferentContextGivesADifferentFingerprint()
    {
        Assert.NotEqual(MessageFingerprint.Of(Message(context: """{"a": 1}""")), MessageFingerprint.Of(Message(context: """{"a": 2}""")));
        Assert.NotEqual(MessageFingerprint.Of(Message(context: """{"a": 1}""")), MessageFingerprint.Of(Message(context: """{"a": 1, "b": 1}""")));
    }

    [Fact]
    public void FieldBoundariesAreNotAmbiguous()
    {
        // "ab" + "c" must not collide with "a" + "bc".
        Assert.NotEqual(MessageFingerprint.Of(Message("ab", null, "c")), MessageFingerprint.Of(Message("a", null, "bc")));
    }

    [Fact]
    public void FingerprintDoesNotChangeTheMessage()
    {
        var message = Message();
        var before = message.Context!.ToJsonString();

        _ = MessageFingerprint.Of(message);

        Assert.Equal(before, message.Context!.ToJsonString());
        Assert.Null(message.Context.Parent);
    }

    [Fact]
    public void AFingerprintStoredByEarlierBuildsStillMatches()
    {
        // The first 128 bits of SHA-256 over ["hi","web",{"a":1}], as receipts stored them before.
        const string stored = "D72ABA6EB3141AFFBCB9375B0B8A800C";

        Assert.True(MessageFingerprint.Matches(stored, MessageFingerprint.Of(Message())));
        Assert.False(MessageFingerprint.Matches(stored, MessageFingerprint.Of(Message("hi!"))));
    }

    [Fact]
    public void AFingerprintMatchesItselfOnly()
    {
        var fingerprint = MessageFingerprint.Of(Message());

        Assert.True(MessageFingerprint.Matches(fingerprint, MessageFingerprint.Of(Message())));
        Assert.False(MessageFingerprint.Matches(fingerprint, MessageFingerprint.Of(Message(channel: "sms"))));
    }
}
