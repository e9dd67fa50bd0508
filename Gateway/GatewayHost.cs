using BotStateCluster.Gateway.Api;
using BotStateCluster.Gateway.Cluster;
using BotStateCluster.ServiceDefaults;

namespace BotStateCluster.Gateway;

/// <summary>Builds the gateway: the HTTP API in front of an Orleans client, behind the shared defaults.</summary>
public static class GatewayHost
{
    /// <summary>The gateway's HTTP listener unless <c>ASPNETCORE_URLS</c> says otherwise.</summary>
    public const string DefaultUrl = "http://127.0.0.1:8080";

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var settings = builder.AddBotStateDefaults(DefaultUrl);
        var gateway = builder.AddValidatedSettings<GatewayOptions, GatewayOptionsValidator>();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = gateway.MaxBodyBytes);
        builder.AddBotStateClusterClient(settings);
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
        builder.Services.AddSingleton<ApiKeyFilter>();
        builder.Services.AddApiDocument();

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapBotStateDefaults();
        // After the defaults' UseRouting: the check needs to know the endpoint.
        ApiKeyFilter.UseApiKeys(app);
        app.MapApiDocument(gateway);
        app.MapStatesApi();
        app.MapConversationsApi();
        return app;
    }
}
