using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Prometheus;

namespace BotStateCluster.ServiceDefaults;

/// <summary>The wiring both processes share: configuration, logging, health and metrics.</summary>
public static class HostDefaults
{
    /// <summary>How long shutdown may take; the pod's termination grace period must be longer.</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Binds and validates the shared settings, sets up logging, health checks and the HTTP listener
    /// (<paramref name="defaultUrl"/> unless <c>ASPNETCORE_URLS</c> says otherwise).
    /// </summary>
    /// <returns>The shared settings, already validated, for wiring that must know them while building.</returns>
    /// <exception cref="ConfigurationError">A setting is wrong (see <see cref="ServiceRunner"/>).</exception>
    public static SharedSettings AddBotStateDefaults(this WebApplicationBuilder builder, string defaultUrl)
    {
        builder.AddLogging(LogSettings.From(builder.Configuration));
        if (string.IsNullOrWhiteSpace(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(defaultUrl);
        }

        var database = builder.AddValidatedSettings<DatabaseOptions, DatabaseOptionsValidator>();
        var settings = new SharedSettings(
            database.Target,
            builder.AddValidatedSettings<ClusterSettings, ClusterSettingsValidator>(),
            builder.AddValidatedSettings<ObservabilityOptions, ObservabilityOptionsValidator>());
        var services = builder.Services;
        services.AddSingleton(settings.Database);
        services.AddSingleton(TimeProvider.System);
        services.Configure<HostOptions>(options => options.ShutdownTimeout = ShutdownTimeout);
        ThreadPoolHeadroom.Reserve(database.PoolSize);

        services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), tags: [HealthPaths.LiveTag])
            .AddCheck<StartedHealthCheck>("started", tags: [HealthPaths.StartupTag])
            .AddCheck<ShutdownHealthCheck>("shutdown", tags: [HealthPaths.ReadyTag])
            .AddCheck<DatabaseHealthCheck>("database", tags: [HealthPaths.ReadyTag]);

        builder.AddBotStateTracing(settings.Observability);
        if (settings.Observability.MetricsEnabled)
        {
            services.AddSingleton<IHealthCheckPublisher, ReadinessMetricPublisher>();
            services.Configure<HealthCheckPublisherOptions>(options =>
            {
                options.Predicate = check => check.Tags.Contains(HealthPaths.ReadyTag);
                options.Period = ReadinessMetricPublisher.Period;
                options.Delay = ReadinessMetricPublisher.FirstDelay;
            });
        }

        // Meters are exported from the start: prometheus-net's default adapter would only begin at the first scrape.
        Metrics.SuppressDefaultMetrics(new SuppressDefaultMetricOptions { SuppressMeters = true, SuppressDebugMetrics = true, SuppressEventCounters = true });
        return settings.Validate();
    }

    /// <summary>
    /// Binds <typeparamref name="TOptions"/> from the environment, registers it validated on start, and
    /// validates it now as well, so that the wiring that needs a value never sees a wrong one.
    /// </summary>
    /// <exception cref="OptionsValidationException">A value is wrong; the failures name the variables.</exception>
    public static TOptions AddValidatedSettings<TOptions, TValidator>(this WebApplicationBuilder builder)
        where TOptions : class, new()
        where TValidator : class, IValidateOptions<TOptions>, new()
    {
        builder.Services.AddOptions<TOptions>().Bind(builder.Configuration).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<TOptions>, TValidator>();
        return SharedSettings.Bind<TOptions, TValidator>(builder.Configuration);
    }

    /// <summary>
    /// Serves the probes and, when enabled, <c>/metrics</c> with HTTP request metrics, labelled with the tenant
    /// <paramref name="tenantOf"/> names when the process serves the API.
    /// </summary>
    public static WebApplication MapBotStateDefaults(this WebApplication app, Func<HttpContext, string>? tenantOf = null)
    {
        var observability = app.Services.GetRequiredService<IOptions<ObservabilityOptions>>().Value;
        app.UseRouting();
        if (observability.MetricsEnabled)
        {
            if (!observability.TracingEnabled)
            {
                // An exemplar names the trace of an observation; with no traces exported it would name nothing, and it
                // costs every observation (each request, each grain call) a look-up of the current trace.
                Metrics.DefaultFactory.ExemplarBehavior = ExemplarBehavior.NoExemplars();
            }

            var meters = MeterBridge.Start(instrument => IsExported(instrument.Meter.Name));
            app.Lifetime.ApplicationStopped.Register(meters.Dispose);
            app.UseKnownHttpMethods();
            app.UseHttpMetrics(http =>
            {
                // The request count is the duration histogram's _count: counting it again costs every request.
                http.RequestCount.Enabled = false;
                if (tenantOf is not null)
                {
                    // Bounded by the tenants the keys name; never the key or the user id.
                    http.AddCustomLabel("tenant", tenantOf);
                }

                if (!observability.TracingEnabled)
                {
                    // It asks for the trace's exemplar itself, whatever the metric factory says.
                    http.RequestDuration.ExemplarPredicate = _ => false;
                }
            });
            app.MapMetrics(HealthPaths.Metrics);
        }

        MapProbe(app, HealthPaths.Health, HealthPaths.LiveTag);
        MapProbe(app, HealthPaths.Live, HealthPaths.LiveTag);
        MapProbe(app, HealthPaths.Readiness, HealthPaths.ReadyTag);
        MapProbe(app, HealthPaths.Ready, HealthPaths.ReadyTag);
        MapProbe(app, HealthPaths.Startup, HealthPaths.StartupTag);
        return app;
    }

    // The service's own meters and the platform's useful ones; not the internal diagnostics meters, nor System.Runtime,
    // whose *_count gauges break Prometheus naming rules and repeat the process_* and dotnet_* metrics prometheus-net exports,
    // nor ASP.NET Core's hosting meter, whose request duration and active requests repeat http_request_duration_seconds
    // and http_requests_in_progress at a cost on every request.
    private static readonly string[] ExportedMeterPrefixes =
        ["BotState", "Microsoft.Orleans", "Microsoft.AspNetCore.Server.Kestrel", "Npgsql"];

    private static bool IsExported(string meterName) =>
        ExportedMeterPrefixes.Any(prefix => meterName.StartsWith(prefix, StringComparison.Ordinal));

    private static void MapProbe(WebApplication app, string path, string tag) =>
        app.MapHealthChecks(path, new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(tag),
            ResponseWriter = HealthResponseWriter.WriteAsync,
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status200OK,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
        }).DisableHttpMetrics();

    private static void AddLogging(this WebApplicationBuilder builder, LogSettings settings)
    {
        var logging = builder.Logging;
        logging.ClearProviders();
        logging.Configure(options => options.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        if (settings.Json)
        {
            logging.AddJsonConsole(options =>
            {
                options.IncludeScopes = true;
                options.UseUtcTimestamp = true;
                options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        }
        else
        {
            logging.AddSimpleConsole(options =>
            {
                options.SingleLine = true;
                options.UseUtcTimestamp = true;
                options.TimestampFormat = "HH:mm:ss.fff ";
            });
        }

        logging.SetMinimumLevel(settings.Level);
        if (settings.Level == LogLevel.Information)
        {
            // At the default level the frameworks' per-request and start-up chatter drowns the service's own lines.
            logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
            logging.AddFilter("Orleans", LogLevel.Warning);
            logging.AddFilter("Polly", LogLevel.Warning);
        }
    }
}
