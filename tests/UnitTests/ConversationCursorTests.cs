namespace BotStateCluster.UnitTests;

public sealed class ConversationCursorTests
{
    [Theory]
    [InlineData("u1")]
    [InlineData("a/b+c?d=é 😀")]
    [InlineData("line\u2028sep")]
    public void ACursorRoundTripsThroughItsText(string threadId)
    {
        var cursor = new ConversationCursor(new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero).AddTicks(1234560), threadId);

        var text = cursor.Encode();

        Assert.Matches("^[A-Za-z0-9_-]+$", text);
        Assert.True(ConversationCursor.TryDecode(text, out var decoded));
        Assert.Equal(cursor, decoded);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not base64!")]
    [InlineData("MQpub3QgYSBkYXRlCnUx")] // "1\nnot a date\nu1"
    [InlineData("Mgo")] // "2\n"
    public void AnythingElseIsRefused(string text) => Assert.False(ConversationCursor.TryDecode(text, out _));
}
