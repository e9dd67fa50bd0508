using System.Data;
using BotStateCluster.ServiceDefaults;
using BotStateCluster.Silo.Storage;

namespace BotStateCluster.Silo.Encryption;

/// <summary>
/// Readies the key store before the silo serves: creates its tables, refuses to start when data keys are wrapped by
/// a master key that is not configured (they could not be read), and on a data database that starts out encrypted
/// (no states yet) refuses plaintext rows from the first day. Each refusal is one line (exit code 2).
/// </summary>
internal sealed class KeyStoreStartup(KeyStore store, MasterKeyRing ring, DatabaseTarget data)
{
    /// <exception cref="StartupError">The key store cannot be reached or used.</exception>
    /// <exception cref="ConfigurationError">Data keys are wrapped by a master key ENCRYPTION_KEYS does not hold.</exception>
    public async Task PrepareAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<string> inUse;
        try
        {
            await store.EnsureSchemaAsync(cancellationToken);
            inUse = await store.MasterKeyIdsInUseAsync(cancellationToken);
            if (await store.SettingAsync(KeyStore.PlaintextRefused, cancellationToken) is null && !await DataHasStatesAsync(cancellationToken))
            {
                await store.SetSettingAsync(KeyStore.PlaintextRefused, "true", cancellationToken);
            }
        }
        catch (Exception exception) when (DatabaseFailure.Classify(exception) is { } kind)
        {
            throw new StartupError($"cannot use the key store, {store.Target.Description} (KEY_STORE_URL): {DatabaseFailure.Describe(kind, exception)}.", exception);
        }

        var missing = inUse.Where(id => !ring.Has(id)).ToList();
        if (missing.Count > 0)
        {
            throw new ConfigurationError(
                $"the key store holds data keys wrapped by master key {string.Join(", ", missing.Select(id => $"'{id}'"))}, which ENCRYPTION_KEYS does not configure; "
                + "add it back (it may be removed once rotate-keys has re-wrapped everything under the first key).");
        }
    }

    private async Task<bool> DataHasStatesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await data.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT 1 FROM states WHERE service_id = @ServiceId LIMIT 1";
        command.With("ServiceId", store.ServiceId, DbType.String);
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }
}
