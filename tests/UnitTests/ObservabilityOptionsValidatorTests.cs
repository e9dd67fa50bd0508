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

    [Theory]
    [InlineData(null, null, false)]
    [InlineData(null, "none", false)]
    [InlineData("http://collector:4317", null, true)]
    [InlineData("http://collector:4317", "none", false)]
    [InlineData(null, "console", true)]
    [InlineData(null, "otlp", false)]
    public void TracingIsOnOnlyWithSomewhereToSendSpans(string? endpoint, string? exporter, bool enabled)
    {
        var options = new ObservabilityOptions { OtlpEndpoint = endpoint, TracesExporter = exporter };

        Assert.True(new ObservabilityOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal(enabled, options.TracingEnabled);
    }

    [Theory]
    [InlineData("collector:4317", null, "OTEL_EXPORTER_OTLP_ENDPOINT")]
    [InlineData(null, "jaeger", "OTEL_TRACES_EXPORTER")]
    public void ABadTracingSettingFailsNamingIt(string? endpoint, string? exporter, string variable)
    {
        var result = new ObservabilityOptionsValidator().Validate(null, new ObservabilityOptions { OtlpEndpoint = endpoint, TracesExporter = exporter });

        Assert.True(result.Failed);
        Assert.StartsWith(variable, result.FailureMessage, StringComparison.Ordinal);
    }
}
