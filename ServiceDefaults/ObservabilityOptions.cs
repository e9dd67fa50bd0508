using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace BotStateCluster.ServiceDefaults;

/// <summary>
/// Metrics, traces and probes (environment: <c>METRICS_ENABLED</c>, <c>READINESS_TIMEOUT</c>,
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, <c>OTEL_TRACES_EXPORTER</c>).
/// </summary>
public sealed class ObservabilityOptions
{
    /// <summary>Serve <c>/metrics</c>.</summary>
    [ConfigurationKeyName("METRICS_ENABLED")]
    public bool MetricsEnabled { get; set; } = true;

    /// <summary>Seconds the readiness probe gives the database to answer.</summary>
    [ConfigurationKeyName("READINESS_TIMEOUT")]
    public double ReadinessTimeoutSeconds { get; set; } = 2;

    /// <summary>The OTLP collector traces go to; unset means no OTLP exporter (the standard variable, read by the exporter too).</summary>
    [ConfigurationKeyName("OTEL_EXPORTER_OTLP_ENDPOINT")]
    public string? OtlpEndpoint { get; set; }

    /// <summary><c>otlp</c> (the default), <c>console</c> (spans on standard output, for debugging) or <c>none</c>.</summary>
    [ConfigurationKeyName("OTEL_TRACES_EXPORTER")]
    public string? TracesExporter { get; set; }

    /// <summary>Whether spans are recorded at all: only with somewhere to send them, so tracing off costs nothing.</summary>
    public bool TracingEnabled => TracesExporterName switch
    {
        Tracing.OtlpExporter => !string.IsNullOrWhiteSpace(OtlpEndpoint),
        Tracing.ConsoleExporter => true,
        _ => false,
    };

    /// <summary>The exporter in force, lower case.</summary>
    public string TracesExporterName => string.IsNullOrWhiteSpace(TracesExporter) ? Tracing.OtlpExporter : TracesExporter.Trim().ToLowerInvariant();

    /// <summary>The readiness database timeout.</summary>
    public TimeSpan ReadinessTimeout => TimeSpan.FromSeconds(ReadinessTimeoutSeconds);
}

internal sealed class ObservabilityOptionsValidator : IValidateOptions<ObservabilityOptions>
{
    public ValidateOptionsResult Validate(string? name, ObservabilityOptions options)
    {
        var failures = new List<string>();
        if (options.ReadinessTimeoutSeconds is not (> 0 and <= 300))
        {
            failures.Add($"READINESS_TIMEOUT must be a number of seconds above 0 and at most 300, not {options.ReadinessTimeoutSeconds}.");
        }

        if (!string.IsNullOrWhiteSpace(options.OtlpEndpoint)
            && !(Uri.TryCreate(options.OtlpEndpoint.Trim(), UriKind.Absolute, out var endpoint) && endpoint.Scheme is "http" or "https"))
        {
            failures.Add($"OTEL_EXPORTER_OTLP_ENDPOINT must be an absolute URL such as http://collector:4317, not '{options.OtlpEndpoint}'.");
        }

        if (options.TracesExporterName is not (Tracing.OtlpExporter or Tracing.ConsoleExporter or Tracing.NoExporter))
        {
            failures.Add($"OTEL_TRACES_EXPORTER must be '{Tracing.OtlpExporter}', '{Tracing.ConsoleExporter}' or '{Tracing.NoExporter}', not '{options.TracesExporter}'.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
