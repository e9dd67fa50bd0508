using BotStateCluster.Api;
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
        var api = builder.AddHttpApi();
        builder.AddBotStateClusterClient(settings);
        return builder.Build().MapHttpApi(api);
    }
}
