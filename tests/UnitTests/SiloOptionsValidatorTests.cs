using BotStateCluster.Silo;

namespace BotStateCluster.UnitTests;

public sealed class SiloOptionsValidatorTests
{
    [Theory]
    [InlineData(null, 15 * 60)]
    [InlineData("", 15 * 60)]
    [InlineData("2m", 120)]
    [InlineData("1h", 3600)]
    public void AnIdleTimeoutOfAtLeastTwoMinutesIsAccepted(string? text, int seconds)
    {
        var options = new SiloOptions { ActivationIdleTimeoutText = text };

        Assert.True(new SiloOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal(TimeSpan.FromSeconds(seconds), options.ActivationIdleTimeout);
    }

    [Theory]
    [InlineData("30s")]
    [InlineData("1m")]
    [InlineData("soon")]
    [InlineData("-5m")]
    public void AShortOrUnreadableIdleTimeoutIsRefusedNamingTheVariable(string text)
    {
        var result = new SiloOptionsValidator().Validate(null, new SiloOptions { ActivationIdleTimeoutText = text });

        Assert.True(result.Failed);
        Assert.Contains("ACTIVATION_IDLE_TIMEOUT", result.FailureMessage);
    }
}
