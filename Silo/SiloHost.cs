using Orleans.Serialization;
using BotStateCluster.Api;
using BotStateCluster.Grains;
using BotStateCluster.ServiceDefaults;
using BotStateCluster.Silo.Dashboard;
using BotStateCluster.Silo.Encryption;
using BotStateCluster.Silo.Retention;
using BotStateCluster.Silo.Storage;
using BotStateCluster.Silo.Webhooks;

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
        // The provider, and Orleans under the name of the provider it calls, log an error with a stack trace for every
        // failed read or write, which in an outage is one per request; StorageGuard logs the same failures once per
        // kind and interval instead.
        builder.Logging.AddFilter(typeof(Orleans.Storage.AdoNetGrainStorage).FullName, LogLevel.Critical);
        builder.Logging.AddFilter(typeof(GuardedGrainStorage).FullName, LogLevel.Critical);
        var silo = builder.AddValidatedSettings<SiloOptions, SiloOptionsValidator>();
        var dashboard = builder.AddValidatedSettings<DashboardSettings, DashboardSettingsValidator>();
        var retention = builder.AddValidatedSettings<RetentionOptions, RetentionOptionsValidator>();
        builder.AddValidatedSettings<WebhookOptions, WebhookOptionsValidator>();
        var encryption = builder.AddValidatedSettings<EncryptionOptions, EncryptionOptionsValidator>();
        var api = silo.ApiEnabled ? builder.AddHttpApi() : null;
        builder.Services.Configure<StateGrainOptions>(grains =>
        {
            grains.HistoryLimit = silo.HistoryLimit;
            grains.StateTimeToLive = retention.StateTimeToLive;
            grains.ChangesEnabled = silo.ChangesEnabled;
        });
        builder.Services.Configure<Orleans.Configuration.GrainCollectionOptions>(collection => collection.CollectionAge = silo.ActivationIdleTimeout);
        builder.Services.AddBotStateRetention();
        builder.Services.AddBotStateWebhooks();
        builder.Services.AddHealthChecks().AddCheck<SiloMembershipHealthCheck>("cluster", tags: [HealthPaths.ReadyTag]);
        builder.Services.AddSingleton<IClusterChangeSignal, SiloStatusChangeSignal>();
        builder.UseOrleans(orleans =>
        {
            orleans
                .UseBotStateClustering(settings.Cluster, settings.Database)
                .AddBotStateStorage(settings.Database)
                .AddBotStateDashboard(dashboard)
                .Services.AddSerializer(serializer => serializer.AddBotStateSerialization());
            if (settings.Observability.TracingEnabled)
            {
                // The gateway's trace continues into the grain call and its SQL commands.
                orleans.AddActivityPropagation();
            }
        });

        // After the storage, whose plaintext change feed it replaces.
        builder.Services.AddBotStateEncryption(encryption, settings.Database);
        var app = builder.Build();
        if (api is null)
        {
            app.MapBotStateDefaults();
        }
        else
        {
            app.MapHttpApi(api);
        }

        app.MapBotStateDashboard(dashboard);
        return app;
    }
}
