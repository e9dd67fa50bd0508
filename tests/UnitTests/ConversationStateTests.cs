using System.Text.Json.Nodes;

namespace BotStateCluster.UnitTests;

public sealed class ConversationStateTests
{
    private static readonly DateTimeOffset Now = new(2024, 5, 1, 12, 30, 0, TimeSpan.Zero);

    private static ConversationState WithIntent(string? intentJson) =>
        ConversationState.New("u1", Now) with { Intent = intentJson is null ? null : JsonNode.Parse(intentJson)!.AsObject() };

    [Theory]
    [InlineData("""{"id": "greet"}""", "greet")]
    [InlineData("""{"id": "book_flight", "name": "Book", "parameters": []}""", "book_flight")]
    [InlineData("""{"id": 5}""", "5")]
    [InlineData("""{"id": ""}""", "")]
    public void ActiveIntentIdIsTheIntentsId(string intent, string expected)
    {
        Assert.Equal(expected, WithIntent(intent).ActiveIntentId);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData(null)]
    [InlineData("""{"name": "x"}""")]
    [InlineData("""{"id": null}""")]
    [InlineData("""{"ID": "greet"}""")]
    public void ActiveIntentIdIsNullWithoutAnIntentId(string? intent)
    {
        Assert.Null(WithIntent(intent).ActiveIntentId);
    }

    [Fact]
    public void NewStateHasNoActiveIntent()
    {
        Assert.Null(ConversationState.New("u1", Now).ActiveIntentId);
    }

    [Fact]
    public void NewStateTruncatesItsDateToMicrosecondsInUtc()
    {
        var state = ConversationState.New("u1", new DateTimeOffset(2024, 5, 1, 14, 30, 0, TimeSpan.FromHours(2)).AddTicks(19));

        Assert.Equal(TimeSpan.Zero, state.Date.Offset);
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 12, 30, 0, TimeSpan.Zero).AddTicks(10), state.Date);
    }

    [Fact]
    public void NewStatesDoNotShareTheirJsonContainers()
    {
        var first = ConversationState.New("u1", Now);
        var second = ConversationState.New("u2", Now);

        first.Context["a"] = 1;
        first.Nlu["b"] = 2;
        first.Intent!["id"] = "x";
        first.Parameters.Add(new JsonObject());
        first.ExtractedParameters["c"] = 3;

        Assert.Empty(second.Context);
        Assert.Empty(second.Nlu);
        Assert.Empty(second.Intent!);
        Assert.Empty(second.Parameters);
        Assert.Empty(second.ExtractedParameters);
    }
}
