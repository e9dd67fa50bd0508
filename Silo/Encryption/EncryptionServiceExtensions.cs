using BotStateCluster.Grains;
using BotStateCluster.Grains.Encryption;
using BotStateCluster.ServiceDefaults;
using BotStateCluster.Silo.Storage;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace BotStateCluster.Silo.Encryption;

/// <summary>Wires encryption at rest into a silo when master keys are configured; off, the grains store plaintext.</summary>
public static class EncryptionServiceExtensions
{
    /// <summary>
    /// Registers the data keys (and the key store behind them) and the change feed that opens events, replacing the
    /// plaintext registrations of <see cref="StorageSiloBuilderExtensions.AddBotStateStorage"/>.
    /// </summary>
    /// <exception cref="ConfigurationError">The key store is the data database, or missing where it is required.</exception>
    public static IServiceCollection AddBotStateEncryption(this IServiceCollection services, EncryptionOptions options, DatabaseTarget data)
    {
        if (!options.Enabled)
        {
            services.AddSingleton<IConversationKeys, NoConversationKeys>();
            return services;
        }

        var keyStore = options.KeyStore(data);
        services.AddSingleton(_ => new MasterKeyRing(options.MasterKeys()));
        services.AddSingleton(provider => new KeyStore(keyStore, provider.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId));
        services.AddSingleton(provider => new KeyStoreStartup(provider.GetRequiredService<KeyStore>(), provider.GetRequiredService<MasterKeyRing>(), data));
        // A guard of its own: a frozen key store must not put the data database's operations into their cool-down.
        services.AddSingleton<IConversationKeys>(provider => new SqlConversationKeys(
            provider.GetRequiredService<KeyStore>(),
            provider.GetRequiredService<MasterKeyRing>(),
            ActivatorUtilities.CreateInstance<StorageGuard>(provider),
            provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton<SqlChangeFeed>();
        services.AddSingleton<IChangeFeed, DecryptingChangeFeed>();
        return services;
    }
}
