using BotStateCluster.ServiceDefaults;
using BotStateCluster.Silo.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace BotStateCluster.Silo.Encryption;

/// <summary>
/// What <c>rotate-keys</c> and <c>encrypt-existing</c> work with, read from the same environment as the silo: the data
/// database, the key store, the master keys and the service id. Neither joins the cluster; the silos keep serving.
/// </summary>
internal sealed class EncryptionCommandContext : IDisposable
{
    private EncryptionCommandContext(SharedSettings settings, KeyStore store, MasterKeyRing ring)
    {
        (Settings, Store, Ring) = (settings, store, ring);
        Keys = new SqlConversationKeys(store, ring, new StorageGuard(new FailureLogThrottle(TimeProvider.System), TimeProvider.System, NullLogger<StorageGuard>.Instance), TimeProvider.System);
    }

    public SharedSettings Settings { get; }

    public KeyStore Store { get; }

    public MasterKeyRing Ring { get; }

    public SqlConversationKeys Keys { get; }

    public DatabaseTarget Data => Settings.Database;

    /// <exception cref="ConfigurationError">Encryption is off, or its settings are wrong.</exception>
    public static async Task<EncryptionCommandContext> LoadAsync(string command, CancellationToken cancellationToken)
    {
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
        var settings = SharedSettings.Load(configuration);
        var options = new EncryptionOptions();
        configuration.Bind(options);
        if (!options.Enabled)
        {
            throw new ConfigurationError($"{command} needs the silo's ENCRYPTION_KEYS (or ENCRYPTION_KEYS_FILE) and KEY_STORE_URL.");
        }

        if (new EncryptionOptionsValidator().Validate(Options.DefaultName, options) is { Failed: true } result)
        {
            throw new ConfigurationError(result.FailureMessage);
        }

        var store = new KeyStore(options.KeyStore(settings.Database), settings.Cluster.ServiceId);
        try
        {
            await store.EnsureSchemaAsync(cancellationToken);
        }
        catch (Exception exception) when (DatabaseFailure.Classify(exception) is { } kind)
        {
            throw new StartupError($"cannot use the key store, {store.Target.Description} (KEY_STORE_URL): {DatabaseFailure.Describe(kind, exception)}.", exception);
        }

        return new EncryptionCommandContext(settings, store, new MasterKeyRing(options.MasterKeys()));
    }

    public void Dispose() => Ring.Dispose();
}
