namespace BotStateCluster.UnitTests;

public sealed class PythonDateTests
{
    [Fact]
    public void FormatsLikePythonIsoformatWithMicrosecondsAndUtcOffset()
    {
        var date = new DateTimeOffset(2024, 5, 1, 12, 30, 0, TimeSpan.Zero).AddTicks(1234567);
        Assert.Equal("2024-05-01T12:30:00.123456+00:00", PythonDate.Format(date));
    }

    [Fact]
    public void FormatWritesSixZerosWhenThereAreNoMicroseconds()
    {
        var date = new DateTimeOffset(2024, 5, 1, 12, 30, 0, TimeSpan.Zero);

        Assert.Equal("2024-05-01T12:30:00.000000+00:00", PythonDate.Format(date));
    }

    [Fact]
    public void FormatConvertsAnOffsetToUtc()
    {
        var date = new DateTimeOffset(2024, 5, 1, 1, 0, 0, TimeSpan.FromHours(2));

        Assert.Equal("2024-04-30T23:00:00.000000+00:00", PythonDate.Format(date));
    }

    [Fact]
    public void FormatConvertsANegativeOffsetToUtc()
    {
        var date = new DateTimeOffset(2024, 12, 31, 20, 0, 0, TimeSpan.FromHours(-5));

        Assert.Equal("2025-01-01T01:00:00.000000+00:00", PythonDate.Format(date));
    }

    [Fact]
    public void FormatTruncatesRatherThanRounds()
    {
        var date = new DateTimeOffset(2024, 5, 1, 12, 30, 59, TimeSpan.Zero).AddTicks(9_999_999);

        Assert.Equal("2024-05-01T12:30:59.999999+00:00", PythonDate.Format(date));
    }

    [Fact]
    public void FormatUsesTheInvariantCalendarAndDigits()
    {
        var date = new DateTimeOffset(999, 1, 2, 3, 4, 5, TimeSpan.Zero);

        Assert.Equal("0999-01-02T03:04:05.000000+00:00", PythonDate.Format(date));
    }

    [Fact]
    public void TruncateDropsSubMicrosecondTicks()
    {
        var date = new DateTimeOffset(2024, 5, 1, 12, 30, 0, TimeSpan.Zero).AddTicks(1234567);

        var truncated = PythonDate.Truncate(date);

        Assert.Equal(new DateTimeOffset(2024, 5, 1, 12, 30, 0, TimeSpan.Zero).AddTicks(1234560), truncated);
        Assert.Equal(0, truncated.Ticks % 10);
    }

    [Fact]
    public void TruncateReturnsUtcOffsetAndSameInstant()
    {
        var date = new DateTimeOffset(2024, 5, 1, 14, 30, 0, TimeSpan.FromHours(2)).AddTicks(15);

        var truncated = PythonDate.Truncate(date);

        Assert.Equal(TimeSpan.Zero, truncated.Offset);
        Assert.Equal(new DateTime(2024, 5, 1, 12, 30, 0).AddTicks(10), truncated.DateTime);
    }

    [Fact]
    public void TruncateIsIdempotent()
    {
        var once = PythonDate.Truncate(DateTimeOffset.UtcNow);

        Assert.Equal(once, PythonDate.Truncate(once));
    }

    [Theory]
    [InlineData("2024-05-01T12:30:00.123456+00:00", "2024-05-01T12:30:00.123456+00:00")]
    [InlineData("2024-05-01T12:30:00.123456Z", "2024-05-01T12:30:00.123456+00:00")]
    [InlineData("2024-05-01T12:30:00Z", "2024-05-01T12:30:00.000000+00:00")]
    [InlineData("2024-05-01T12:30:00", "2024-05-01T12:30:00.000000+00:00")]
    [InlineData("2024-05-01T12:30", "2024-05-01T12:30:00.000000+00:00")]
    [InlineData("2024-05-01", "2024-05-01T00:00:00.000000+00:00")]
    [InlineData("2024-05-01 12:30:00", "2024-05-01T12:30:00.000000+00:00")]
    [InlineData("2024-05-01T12:30:00.5", "2024-05-01T12:30:00.500000+00:00")]
    [InlineData("2024-05-01T12:30:00.1234567", "2024-05-01T12:30:00.123456+00:00")]
    [InlineData("2024-05-01T12:30:00.1234567+00:00", "2024-05-01T12:30:00.123456+00:00")]
    [InlineData("2024-05-01T14:30:00+02:00", "2024-05-01T12:30:00.000000+00:00")]
    [InlineData("2024-05-01T14:30:00+0200", "2024-05-01T12:30:00.000000+00:00")]
    [InlineData("2024-05-01T07:30:00.000001-05:00", "2024-05-01T12:30:00.000001+00:00")]
    [InlineData("2024-02-29T00:00:00+00:00", "2024-02-29T00:00:00.000000+00:00")]
    public void TryParseAcceptsPythonIsoShapesAndNormalisesToUtc(string text, string expected)
    {
        Assert.True(PythonDate.TryParse(text, out var value));

        Assert.Equal(TimeSpan.Zero, value.Offset);
        Assert.Equal(expected, PythonDate.Format(value));
    }

    [Theory]
    [InlineData("")]
    [InlineData("yesterday")]
    [InlineData("now")]
    [InlineData("2024-13-01")]
    [InlineData("2024-00-10")]
    [InlineData("2023-02-29")]
    [InlineData("2024-05-32")]
    [InlineData("2024-05-01T24:30:00")]
    [InlineData("2024-05-01T12:60:00")]
    [InlineData("2024-05-01T12:30:00.12345678")]
    [InlineData("2024-05-01T12:30:00+2")]
    [InlineData("2024-5-1")]
    [InlineData("05/01/2024")]
    [InlineData("1 May 2024")]
    [InlineData("Wed, 01 May 2024 12:30:00 GMT")]
    [InlineData("1714566600")]
    [InlineData("2024-05-01T12:30:00+00:00 ")]
    [InlineData("2024-05-01T12:30:00+00:00\n")]
    public void TryParseRefusesWhatIsNotAnIsoDate(string text)
    {
        Assert.False(PythonDate.TryParse(text, out var value));
        Assert.Equal(default, value);
    }

    [Fact]
    public void FormattedDateParsesBackToTheSameInstant()
    {
        var date = PythonDate.Truncate(new DateTimeOffset(2031, 7, 8, 9, 10, 11, TimeSpan.FromHours(-3)).AddTicks(7654321));

        Assert.True(PythonDate.TryParse(PythonDate.Format(date), out var parsed));
        Assert.Equal(date, parsed);
        Assert.Equal(date.UtcTicks, parsed.UtcTicks);
    }
}
