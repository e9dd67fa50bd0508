using System.Data;
using System.Data.Common;
using BotStateCluster.ServiceDefaults;
using BotStateCluster.Silo.Storage;

namespace BotStateCluster.Silo.Encryption;

/// <summary>A data key as the key store holds it: whose, under which master key, and wrapped.</summary>
internal sealed record WrappedDataKey(ConversationKey Conversation, string MasterKeyId, byte[] Wrapped);

/// <summary>
/// The key store's tables (<c>KeyStore/Schema.sql</c>): one row per conversation with a data key, and a few settings.
/// Plain statements only; the silo runs them under a deadline (<see cref="SqlConversationKeys"/>), the commands as
/// they are. The same SQL runs on both backends.
/// </summary>
internal sealed class KeyStore(DatabaseTarget target, string serviceId)
{
    // An SQLite file takes one writer at a time, and a writer that finds it locked waits in SQLite's busy handler, whose
    // sleeps grow: eight first writes at once took over a second. Here they queue in the process instead, each a few
    // milliseconds. PostgreSQL takes them side by side.
    private readonly SemaphoreSlim? _sqliteWriter = target.Kind == DatabaseKind.Sqlite ? new SemaphoreSlim(1, 1) : null;

    /// <summary>The setting that says plaintext rows are refused: <c>encrypt-existing</c> finished, or the data started encrypted.</summary>
    public const string PlaintextRefused = "plaintext_refused";

    public DatabaseTarget Target => target;

    public string ServiceId => serviceId;

    public async Task EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        await using var connection = await target.OpenAsync(cancellationToken);
        if (target.Kind == DatabaseKind.Sqlite)
        {
            // Readers beside the writer, as the data file has; a journal mode cannot change inside a transaction.
            await using var wal = connection.CreateCommand();
            wal.CommandText = "PRAGMA journal_mode = WAL";
            await wal.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = SqlScripts.Script(target.Kind, "KeyStore/Schema");
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<WrappedDataKey?> FindAsync(ConversationKey conversation, CancellationToken cancellationToken)
    {
        await using var connection = await target.OpenAsync(cancellationToken);
        await using var command = Command(connection, "SELECT master_key_id, wrapped FROM data_keys WHERE service_id = @ServiceId AND tenant = @Tenant AND user_id = @UserId", conversation);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new WrappedDataKey(conversation, reader.GetString(0), (byte[])reader.GetValue(1)) : null;
    }

    /// <summary>Stores a new data key; false when the conversation already has one (another writer was first), which stays.</summary>
    public async Task<bool> InsertAsync(WrappedDataKey key, CancellationToken cancellationToken)
    {
        await using var connection = await target.OpenAsync(cancellationToken);
        await using var command = Command(connection, """
            INSERT INTO data_keys (service_id, tenant, user_id, master_key_id, wrapped)
            VALUES (@ServiceId, @Tenant, @UserId, @MasterKeyId, @Wrapped)
            ON CONFLICT (service_id, tenant, user_id) DO NOTHING
            """, key.Conversation);
        command.With("MasterKeyId", key.MasterKeyId, DbType.String).With("Wrapped", key.Wrapped, DbType.Binary);
        return await WriteAsync(command, cancellationToken) == 1;
    }

    /// <summary>Deletes the conversation's data key; false when it had none.</summary>
    public async Task<bool> DeleteAsync(ConversationKey conversation, CancellationToken cancellationToken)
    {
        await using var connection = await target.OpenAsync(cancellationToken);
        await using var command = Command(connection, "DELETE FROM data_keys WHERE service_id = @ServiceId AND tenant = @Tenant AND user_id = @UserId", conversation);
        return await WriteAsync(command, cancellationToken) > 0;
    }

    /// <summary>The ids of the master keys that wrap at least one data key of this service.</summary>
    public async Task<IReadOnlyList<string>> MasterKeyIdsInUseAsync(CancellationToken cancellationToken)
    {
        await using var connection = await target.OpenAsync(cancellationToken);
        await using var command = Command(connection, "SELECT DISTINCT master_key_id FROM data_keys WHERE service_id = @ServiceId ORDER BY master_key_id", null);
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    /// <summary>How many data keys are wrapped by another master key than <paramref name="masterKeyId"/>.</summary>
    public async Task<long> CountWrappedByOthersAsync(string masterKeyId, CancellationToken cancellationToken)
    {
        await using var connection = await target.OpenAsync(cancellationToken);
        await using var command = Command(connection, "SELECT COUNT(*) FROM data_keys WHERE service_id = @ServiceId AND master_key_id <> @MasterKeyId", null);
        command.With("MasterKeyId", masterKeyId, DbType.String);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Up to <paramref name="limit"/> data keys wrapped by another master key than <paramref name="masterKeyId"/>.</summary>
    public async Task<IReadOnlyList<WrappedDataKey>> WrappedByOthersAsync(string masterKeyId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await target.OpenAsync(cancellationToken);
        await using var command = Command(connection, """
            SELECT tenant, user_id, master_key_id, wrapped FROM data_keys
            WHERE service_id = @ServiceId AND master_key_id <> @MasterKeyId
            LIMIT @Limit
            """, null);
        command.With("MasterKeyId", masterKeyId, DbType.String).With("Limit", limit, DbType.Int32);
        var keys = new List<WrappedDataKey>(limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(new WrappedDataKey(new ConversationKey(TenantId.Parse(reader.GetString(0)), UserId.Parse(reader.GetString(1))), reader.GetString(2), (byte[])reader.GetValue(3)));
        }

        return keys;
    }

    /// <summary>Replaces a wrapping, only if the row is still as read (a concurrent shred or rotation wins).</summary>
    public async Task<bool> RewrapAsync(WrappedDataKey old, string masterKeyId, byte[] wrapped, CancellationToken cancellationToken)
    {
        await using var connection = await target.OpenAsync(cancellationToken);
        await using var command = Command(connection, """
            UPDATE data_keys SET master_key_id = @MasterKeyId, wrapped = @Wrapped
            WHERE service_id = @ServiceId AND tenant = @Tenant AND user_id = @UserId AND master_key_id = @OldMasterKeyId AND wrapped = @OldWrapped
            """, old.Conversation);
        command.With("MasterKeyId", masterKeyId, DbType.String).With("Wrapped", wrapped, DbType.Binary)
            .With("OldMasterKeyId", old.MasterKeyId, DbType.String).With("OldWrapped", old.Wrapped, DbType.Binary);
        return await WriteAsync(command, cancellationToken) == 1;
    }

    public async Task<string?> SettingAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await target.OpenAsync(cancellationToken);
        await using var command = Command(connection, "SELECT value FROM key_store_settings WHERE service_id = @ServiceId AND name = @Name", null);
        command.With("Name", name, DbType.String);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    public async Task SetSettingAsync(string name, string value, CancellationToken cancellationToken)
    {
        await using var connection = await target.OpenAsync(cancellationToken);
        await using var command = Command(connection, """
            INSERT INTO key_store_settings (service_id, name, value) VALUES (@ServiceId, @Name, @Value)
            ON CONFLICT (service_id, name) DO UPDATE SET value = excluded.value
            """, null);
        command.With("Name", name, DbType.String).With("Value", value, DbType.String);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<int> WriteAsync(DbCommand command, CancellationToken cancellationToken)
    {
        if (_sqliteWriter is null)
        {
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await _sqliteWriter.WaitAsync(cancellationToken);
        try
        {
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }
        finally
        {
            _sqliteWriter.Release();
        }
    }

    private DbCommand Command(DbConnection connection, string sql, ConversationKey? conversation)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.With("ServiceId", serviceId, DbType.String);
        if (conversation is { } key)
        {
            command.With("Tenant", key.Tenant.Value, DbType.String).With("UserId", key.User.Value, DbType.String);
        }

        return command;
    }
}
