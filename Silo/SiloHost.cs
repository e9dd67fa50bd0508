using Orleans.Serialization;
using BotStateCluster.Grains;
using BotStateCluster.ServiceDefaults;
using BotStateCluster.Silo.Dashboard;
using BotStateCluster.Silo.Retention;
using BotStateCluster.Silo.Storage;

namespace BotStateCluster.Silo;

/// <summary>Builds the silo process: Orleans with our storage and clustering, behind the shared HTTP defaults.</summary>
public static class SiloHost
{
    /// <summary>The silo's HTTP listener unless <c>ASPNETCORE_URLS</c> says otherwise.</summary>
    public const string DefaultUrl = "http://127.0.0.1:8081";

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var settings = builder.AddBotStateDefaults(DefaultUrl);
        var silo = builder.AddValidatedSettings<SiloOptions, SiloOptionsValidator>();
        var dashboard = builder.AddValidatedSettings<DashboardSettings, DashboardSettingsValidator>();
        var retention = builder.AddValidatedSettings<RetentionOptions, RetentionOptionsValidator>();
        builder.Services.Configure<StateGrainOptions>(grains =>
        {
            grains.HistoryLimit = silo.HistoryLimit;
            grains.StateTimeToLive = retention.StateTimeToLive;
        });
        builder.Services.AddBotStateRetention();
        builder.Services.AddHealthChecks().AddCheck<SiloMembershipHealthCheck>("cluster", tags: [HealthPaths.ReadyTag]);
        builder.UseOrleans(orleans => orleans
            .UseBotStateClustering(settings.Cluster, settings.Database)
            .AddBotStateStorage(settings.Database)
            .AddBotStateDashboard(dashboard)
            .Services.AddSerializer(serializer => serializer.AddBotStateSerialization()));

        var app = builder.Build();
        app.MapBotStateDefaults();
        app.MapBotStateDashboard(dashboard);
        return app;
    }
}
