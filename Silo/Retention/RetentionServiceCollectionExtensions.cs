using BotStateCluster.Silo.Storage;

namespace BotStateCluster.Silo.Retention;

/// <summary>Plugs retention into a silo.</summary>
internal static class RetentionServiceCollectionExtensions
{
    /// <summary>The sweep, its statements and lock, and the background service that runs it.</summary>
    public static IServiceCollection AddBotStateRetention(this IServiceCollection services)
    {
        services.AddSingleton<RetentionStore>();
        services.AddSingleton<SweepLock>();
        services.AddSingleton<RetentionSweep>();
        services.AddHostedService<RetentionSweeper>();
        return services;
    }
}
