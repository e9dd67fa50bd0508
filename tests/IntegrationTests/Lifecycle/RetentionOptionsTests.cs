using BotStateCluster.Silo.Retention;

namespace BotStateCluster.IntegrationTests.Lifecycle;

public sealed class RetentionOptionsTests
{
    private static Microsoft.Extensions.Options.ValidateOptionsResult Validate(RetentionOptions options) =>
        new RetentionOptionsValidator().Validate(null, options);

    [Fact]
    public void DefaultsKeepStatesAndHistoryForeverAndTombstonesThirtyDays()
    {
        var options = new RetentionOptions();

        Assert.True(Validate(options).Succeeded);
        Assert.Null(options.StateTimeToLive);
        Assert.Null(options.HistoryTimeToLive);
        Assert.Equal(TimeSpan.FromDays(30), options.TombstoneTimeToLive);
        Assert.Equal(TimeSpan.FromMinutes(5), options.SweepEvery);
    }

    [Theory]
    [InlineData("STATE_TTL")]
    [InlineData("HISTORY_TTL")]
    [InlineData("TOMBSTONE_TTL")]
    [InlineData("RETENTION_SWEEP_INTERVAL")]
    public void ABadValueFailsNamingItsVariable(string variable)
    {
        var options = new RetentionOptions();
        switch (variable)
        {
            case "STATE_TTL": options.StateTtl = "2 weeks"; break;
            case "HISTORY_TTL": options.HistoryTtl = "0d"; break;
            case "TOMBSTONE_TTL": options.TombstoneTtl = "-3d"; break;
            default: options.SweepInterval = "2d"; break;
        }

        var result = Validate(options);

        Assert.True(result.Failed);
        Assert.StartsWith(variable, Assert.Single(result.Failures!), StringComparison.Ordinal);
    }

    [Fact]
    public void BlankTtlsKeepForeverAndBlankTombstoneTtlIsTheDefault()
    {
        var options = new RetentionOptions { StateTtl = " ", HistoryTtl = "", TombstoneTtl = "", SweepInterval = "" };

        Assert.True(Validate(options).Succeeded);
        Assert.Null(options.StateTimeToLive);
        Assert.Equal(TimeSpan.FromDays(30), options.TombstoneTimeToLive);
        Assert.Equal(TimeSpan.FromMinutes(5), options.SweepEvery);
    }
}
