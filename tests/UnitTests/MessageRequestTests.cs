using System.Text.Json.Nodes;
using BotStateCluster.Api;

namespace BotStateCluster.UnitTests;

public sealed class MessageRequestTests
{
    private static IncomingMessage Parse(string json) => MessageRequest.Parse(JsonNode.Parse(json));

    private static StateFormatException Refused(string json) =>
        Assert.Throws<StateFormatException>(() => Parse(json));

    private static string? WithKey(string? key) => key;

    [Fact]
    public void TextAloneLeavesContextAndChannelUnset()
    {
        var message = Parse("""{"text": "hello"}""");

        Assert.Equal("hello", message.Text);
        Assert.Null(message.Context);
        Assert.Null(message.Channel);
    }

    [Fact]
    public void TextContextAndChannelAreRead()
    {
        var message = Parse("""{"text": "hello", "context": {"lang": "en", "n": [1]}, "channel": "web"}""");

        Assert.Equal("web", message.Channel);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"lang": "en", "n": [1]}"""), message.Context));
    }

    [Fact]
    public void EmptyTextIsAllowed()
    {
        Assert.Equal("", Parse("""{"text": ""}""").Text);
    }

    [Fact]
    public void NullContextAndChannelCountAsAbsent()
    {
        var message = Parse("""{"text": "hi", "context": null, "channel": null}""");

        Assert.Null(message.Context);
        Assert.Null(message.Channel);
    }

    [Fact]
    public void UnknownFieldsAreIgnored()
    {
        Assert.Equal("hi", Parse("""{"text": "hi", "extra": [1, 2]}""").Text);
    }

    [Fact]
    public void ContextIsCopiedFromTheBody()
    {
        var body = JsonNode.Parse("""{"text": "hi", "context": {"a": 1}}""")!;

        var message = MessageRequest.Parse(body);
        body["context"]!["a"] = 2;

        Assert.Equal(1, message.Context!["a"]!.GetValue<int>());
        Assert.Null(message.Context.Parent);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"text": null}""")]
    [InlineData("""{"text": 5}""")]
    [InlineData("""{"text": true}""")]
    [InlineData("""{"text": ["hi"]}""")]
    [InlineData("""{"text": {"value": "hi"}}""")]
    [InlineData("""{"Text": "hi"}""")]
    public void TextMustBeAString(string json)
    {
        Assert.Contains("text", Refused(json).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"text": "hi", "context": []}""")]
    [InlineData("""{"text": "hi", "context": "x"}""")]
    [InlineData("""{"text": "hi", "context": 1}""")]
    public void ContextMustBeAnObject(string json)
    {
        Assert.Contains("context", Refused(json).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"text": "hi", "channel": 1}""")]
    [InlineData("""{"text": "hi", "channel": {}}""")]
    [InlineData("""{"text": "hi", "channel": false}""")]
    public void ChannelMustBeAString(string json)
    {
        Assert.Contains("channel", Refused(json).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"hello\"")]
    [InlineData("1")]
    [InlineData("null")]
    public void BodyMustBeAnObject(string json)
    {
        Assert.Contains("object", Refused(json).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"text": "hi\u0000"}""")]
    [InlineData("""{"text": "hi", "channel": "w\u0000b"}""")]
    [InlineData("""{"text": "hi", "context": {"a": {"b": ["\u0000"]}}}""")]
    [InlineData("""{"text": "hi", "context": {"k\u0000": 1}}""")]
    public void NulCharacterIsRefused(string json)
    {
        Assert.Contains("U+0000", Refused(json).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"text": "\udc00"}""")]
    [InlineData("""{"text": "hi", "context": {"a": "\ud800"}}""")]
    public void LoneSurrogateIsRefusedAsAFormatErrorNotAnInternalError(string json)
    {
        var exception = Record.Exception(() => Parse(json));

        Assert.IsType<StateFormatException>(exception);
    }

    [Fact]
    public void AbsentIdempotencyKeyIsNull()
    {
        Assert.Null(MessageRequest.IdempotencyKey(WithKey(null)));
    }

    [Theory]
    [InlineData("k")]
    [InlineData("3f2504e0-4f89-11d3-9a0c-0305e82c3301")]
    [InlineData("retry key with spaces")]
    public void IdempotencyKeyIsReturnedAsSent(string key)
    {
        Assert.Equal(key, MessageRequest.IdempotencyKey(WithKey(key)));
    }

    [Fact]
    public void IdempotencyKeyOf255CharactersIsAccepted()
    {
        var key = new string('k', 255);

        Assert.Equal(key, MessageRequest.IdempotencyKey(WithKey(key)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a\tb")]
    [InlineData("a\u0001")]
    [InlineData("a\u007f")]
    public void EmptyOrControlCharacterIdempotencyKeyIsRefused(string key)
    {
        var error = Assert.Throws<ApiProblemException>(() => MessageRequest.IdempotencyKey(WithKey(key)));

        Assert.Contains("Idempotency-Key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void IdempotencyKeyOver255CharactersIsRefused()
    {
        Assert.Throws<ApiProblemException>(() => MessageRequest.IdempotencyKey(WithKey(new string('k', 256))));
    }
}
