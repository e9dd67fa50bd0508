using BotStateCluster.ServiceDefaults;

namespace BotStateCluster.UnitTests;

public sealed class ObservabilityOptionsValidatorTests
{
    [Fact]
    public void DefaultsAreValidWithTwoSecondTimeoutAndMetricsOn()
    {
        var options = new ObservabilityOptions();

        Assert.True(new ObservabilityOptionsValidator().Validate(null, options).Succeeded);
        Assert.True(options.MetricsEnabled);
        Assert.Equal(TimeSpan.FromSeconds(2), options.ReadinessTimeout);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(300.5)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void ReadinessTimeoutOutOfRangeFailsNamingIt(double seconds)
    {
        var result = new ObservabilityOptionsValidator().Validate(null, new ObservabilityOptions { ReadinessTimeoutSeconds = seconds });

        Assert.True(result.Failed);
        Assert.StartsWith("READINESS_TIMEOUT", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(2)]
    [InlineData(300)]
    public void ReadinessTimeoutInRangeIsValid(double seconds)
    {
        var options = new ObservabilityOptions { ReadinessTimeoutSeconds = seconds };

        Assert.True(new ObservabilityOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal(TimeSpan.FromSeconds(seconds), options.ReadinessTimeout);
    }
}
