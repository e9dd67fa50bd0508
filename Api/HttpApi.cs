using BotStateCluster.Api.Keys;
using BotStateCluster.ServiceDefaults;

namespace BotStateCluster.Api;

/// <summary>
/// The v1 HTTP API as one piece, for whichever process serves it: the gateway in front of a cluster client, or a silo
/// that serves it itself and calls its grains in-process.
/// </summary>
public static class HttpApi
{
    /// <summary>
    /// Registers what the API needs: its settings (validated), JSON, problem details, keys, scopes and rate limits when
    /// keys are configured, and the OpenAPI document. The host registers the <see cref="IClusterChangeSignal"/> it sees.
    /// </summary>
    public static ApiOptions AddHttpApi(this WebApplicationBuilder builder)
    {
        var options = builder.AddValidatedSettings<ApiOptions, ApiOptionsValidator>();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = options.MaxBodyBytes);
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            // The states the grains serialize and the JSON the gateway writes itself escape alike.
            json.SerializerOptions.Encoder = StateJson.Encoder;
            json.SerializerOptions.TypeInfoResolverChain.Insert(0, WireJsonContext.Default);
            // Numbers are numbers: the web default of also reading them from strings would show in the OpenAPI schemas.
            json.SerializerOptions.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict;
        });
        builder.Services.AddProblemDetails(problems => problems.CustomizeProblemDetails = ApiProblems.Customize);
        builder.Services.AddSingleton<FailureLogThrottle>();
        builder.Services.AddExceptionHandler<ApiExceptionHandler>();
        builder.Services.AddSingleton<ClusterRetry>();
        builder.Services.AddApiSecurity(options);
        builder.Services.AddApiDocument();
        return options;
    }

    /// <summary>
    /// Serves the API behind the shared defaults (routing, metrics, probes): every failure answered as problem+json, the
    /// key, scope and rate checks before binding, then the routes and their OpenAPI document.
    /// </summary>
    public static WebApplication MapHttpApi(this WebApplication app, ApiOptions options)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapBotStateDefaults(Caller.MetricsLabel);
        // After the defaults' UseRouting: the checks need to know the endpoint, and run before its parameters are bound.
        app.UseApiSecurity(options);
        app.MapApiDocument(options);
        app.MapStatesApi(options);
        app.MapTimeTravelApi(options);
        app.MapConversationsApi(options);
        app.MapChangesApi(options);
        return app;
    }
}
