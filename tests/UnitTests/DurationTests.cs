using BotStateCluster.ServiceDefaults;

namespace BotStateCluster.UnitTests;

public sealed class DurationTests
{
    [Theory]
    [InlineData("30d", 30 * 86_400)]
    [InlineData("12h", 12 * 3_600)]
    [InlineData("90m", 90 * 60)]
    [InlineData("45s", 45)]
    [InlineData(" 2m ", 120)]
    public void DurationsParseInTheirUnit(string text, long seconds)
    {
        Assert.True(Duration.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromSeconds(seconds), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("30")]
    [InlineData("1.5h")]
    [InlineData("-1d")]
    [InlineData("1w")]
    [InlineData("1h30m")]
    [InlineData("5 m")]
    [InlineData("99999999999d")]
    [InlineData(null)]
    public void AnythingElseIsNotADuration(string? text) => Assert.False(Duration.TryParse(text, out _));
}
