namespace BotStateCluster.UnitTests;

public sealed class PythonDateTests
{
    [Fact]
    public void FormatsLikePythonIsoformatWithMicrosecondsAndUtcOffset()
    {
        var date = new DateTimeOffset(2024, 5, 1, 12, 30, 0, TimeSpan.Zero).AddTicks(1234567);
        Assert.Equal("2024-05-01T12:30:00.123456+00:00", PythonDate.Format(date));
    }
}
