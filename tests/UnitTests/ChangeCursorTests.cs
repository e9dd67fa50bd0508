namespace BotStateCluster.UnitTests;

public sealed class ChangeCursorTests
{
    [Theory]
    [InlineData(0, 0)]
    [InlineData(0, 1041)]
    [InlineData(812_345_678_901, 9_007_199_254_740_993)]
    public void ACursorRoundTripsThroughItsText(long transaction, long sequence)
    {
        var cursor = new ChangeCursor(transaction, sequence);

        var text = cursor.Encode();

        Assert.Matches("^[A-Za-z0-9_-]+$", text);
        Assert.True(ChangeCursor.TryDecode(text, out var decoded));
        Assert.Equal(cursor, decoded);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not base64!")]
    [InlineData("Mi4xLjI")] // "2.1.2": another version
    [InlineData("MS4tMS4y")] // "1.-1.2"
    [InlineData("MS4xLjIuMw")] // "1.1.2.3"
    public void AnythingElseIsRefused(string text) => Assert.False(ChangeCursor.TryDecode(text, out _));
}
