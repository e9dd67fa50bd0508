using BotStateCluster.Grains;
using BotStateCluster.ServiceDefaults;
using BotStateCluster.Silo.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace BotStateCluster.IntegrationTests.Support;

/// <summary>The change feed of a database, read as a silo of <paramref name="serviceId"/> reads it.</summary>
internal static class ChangeFeeds
{
    public static IChangeFeed Of(DatabaseTarget target, string serviceId) => new SqlChangeFeed(
        target,
        Microsoft.Extensions.Options.Options.Create(new Orleans.Configuration.ClusterOptions { ServiceId = serviceId }),
        new StorageGuard(new FailureLogThrottle(TimeProvider.System), TimeProvider.System, NullLogger<StorageGuard>.Instance));
}
