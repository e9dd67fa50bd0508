using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace BotStateCluster.ServiceDefaults;

/// <summary>Metrics and probes (environment: <c>METRICS_ENABLED</c>, <c>READINESS_TIMEOUT</c>).</summary>
public sealed class ObservabilityOptions
{
    /// <summary>Serve <c>/metrics</c>.</summary>
    [ConfigurationKeyName("METRICS_ENABLED")]
    public bool MetricsEnabled { get; set; } = true;

    /// <summary>Seconds the readiness probe gives the database to answer.</summary>
    [ConfigurationKeyName("READINESS_TIMEOUT")]
    public double ReadinessTimeoutSeconds { get; set; } = 2;

    /// <summary>The readiness database timeout.</summary>
    public TimeSpan ReadinessTimeout => TimeSpan.FromSeconds(ReadinessTimeoutSeconds);
}

internal sealed class ObservabilityOptionsValidator : IValidateOptions<ObservabilityOptions>
{
    public ValidateOptionsResult Validate(string? name, ObservabilityOptions options) =>
        options.ReadinessTimeoutSeconds is > 0 and <= 300
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"READINESS_TIMEOUT must be a number of seconds above 0 and at most 300, not {options.ReadinessTimeoutSeconds}.");
}
