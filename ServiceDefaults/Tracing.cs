using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Orleans.Diagnostics;

namespace BotStateCluster.ServiceDefaults;

/// <summary>
/// OpenTelemetry tracing of both hosts: the HTTP request (ASP.NET Core), the grain call (Orleans' application
/// activity source, propagated from the gateway into the silo) and the SQL command (Npgsql), one trace per
/// request. Exported with OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (every other <c>OTEL_*</c>
/// variable applies as the OpenTelemetry SDK defines it); without it nothing is registered or recorded.
/// </summary>
public static class Tracing
{
    /// <summary><c>OTEL_TRACES_EXPORTER</c> value: OTLP to <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>.</summary>
    public const string OtlpExporter = "otlp";

    /// <summary><c>OTEL_TRACES_EXPORTER</c> value: spans on standard output, for debugging and tests.</summary>
    public const string ConsoleExporter = "console";

    /// <summary><c>OTEL_TRACES_EXPORTER</c> value: no tracing.</summary>
    public const string NoExporter = "none";

    /// <summary>The activity source of grain calls (Orleans' <c>ActivitySources.ApplicationGrainActivitySourceName</c>).</summary>
    public const string GrainCallSource = ActivitySources.ApplicationGrainActivitySourceName;

    /// <summary>Registers tracing when <paramref name="options"/> enable it.</summary>
    internal static void AddBotStateTracing(this WebApplicationBuilder builder, ObservabilityOptions options)
    {
        if (!options.TracingEnabled)
        {
            return;
        }

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource =>
            {
                // OTEL_SERVICE_NAME, when set, names the service as the SDK defines; else the host's assembly does.
                if (string.IsNullOrWhiteSpace(builder.Configuration["OTEL_SERVICE_NAME"]))
                {
                    resource.AddService(builder.Environment.ApplicationName);
                }
            })
            .WithTracing(tracing =>
            {
                tracing
                    .AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.Filter = context => !IsOperational(context.Request.Path))
                    .AddSource(GrainCallSource)
                    .AddNpgsql();
                if (options.TracesExporterName == ConsoleExporter)
                {
                    tracing.AddConsoleExporter();
                }
                else
                {
                    tracing.AddOtlpExporter();
                }
            });
    }

    // Probes and scrapes every few seconds are not what a trace is for.
    private static bool IsOperational(PathString path) =>
        path.StartsWithSegments(HealthPaths.Health) || path.StartsWithSegments(HealthPaths.Readiness) || path.StartsWithSegments(HealthPaths.Metrics);
}
