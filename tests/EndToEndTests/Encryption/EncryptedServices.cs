using System.Data.Common;
using System.Text;
using System.Text.Json.Nodes;

namespace BotStateCluster.EndToEndTests;

/// <summary>
/// One silo serving the API with encryption at rest on, over a data database and a key store of its own; and the
/// test's direct access to both, to copy, tamper with and search what they hold.
/// </summary>
public abstract class EncryptedServices : IAsyncDisposable
{
    /// <summary>The service id the processes run with (the default), part of a wrapped key's binding.</summary>
    public const string ServiceId = "botstate";

    private ServiceProcess? _silo;

    /// <summary>The first (wrapping) master key.</summary>
    public byte[] MasterKey { get; } = MasterKeys.NewMaterial();

    /// <summary><c>ENCRYPTION_KEYS</c> of the silo.</summary>
    public string EncryptionKeys => MasterKeys.Entry("k1", MasterKey);

    public ServiceProcess Silo => _silo ?? throw new InvalidOperationException("Not started.");

    public ApiClient Api => new(Silo.Http, () => Silo.Describe());

    /// <summary>Starts the silo with encryption on and waits until it is ready.</summary>
    public async Task StartAsync(IReadOnlyDictionary<string, string>? settings = null)
    {
        _silo = Launch(settings);
        await _silo.WaitUntilReadyAsync();
    }

    public async Task StopAsync()
    {
        if (_silo is not null)
        {
            await _silo.StopAsync();
        }
    }

    /// <summary>Starts a silo on the data database and key store, without waiting; <paramref name="settings"/> win.</summary>
    public abstract ServiceProcess Launch(IReadOnlyDictionary<string, string>? settings = null);

    /// <summary>The environment a silo command (rotate-keys, encrypt-existing) needs, with <paramref name="encryptionKeys"/>.</summary>
    public abstract IReadOnlyDictionary<string, string> CommandEnvironment(string encryptionKeys);

    /// <summary>Where the processes run.</summary>
    public abstract string WorkingDirectory { get; }

    /// <summary>The settings that turn encryption off in <see cref="Launch"/>: a silo of the previous version.</summary>
    public static IReadOnlyDictionary<string, string> WithoutEncryption { get; } = new Dictionary<string, string> { ["ENCRYPTION_KEYS"] = "", ["KEY_STORE_URL"] = "" };

    /// <summary>Counts the rows of the data database whose stored state is plaintext.</summary>
    public async Task<long> PlaintextRowsAsync()
    {
        await using var connection = await OpenDataAsync();
        long count = 0;
        foreach (var table in new[] { "states", "state_history", "changes" })
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT CAST(state AS TEXT) FROM {table} WHERE state IS NOT NULL";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                count += JsonNode.Parse(reader.GetString(0))!["sealed"] is null ? 1 : 0;
            }
        }

        return count;
    }

    /// <summary>A backup of the data database, as an operator takes it (not of the key store).</summary>
    public abstract Task<DataBackup> BackupAsync();

    /// <summary>A silo on a copy of <paramref name="backup"/>, with this key store and master keys, ready.</summary>
    public abstract Task<ServiceProcess> StartOnRestoredAsync(DataBackup backup);

    /// <summary>Every byte the data database and the key store keep on disk or give out in a dump.</summary>
    public abstract Task<byte[]> EverythingStoredAsync();

    /// <summary>A connection to the data database.</summary>
    public abstract Task<DbConnection> OpenDataAsync();

    /// <summary>A connection to the key store.</summary>
    public abstract Task<DbConnection> OpenKeyStoreAsync();

    /// <summary>Replaces <c>states.state</c> (and <c>meta</c> when given) of a conversation of tenant default with JSON text.</summary>
    public abstract Task SetStoredStateAsync(string userId, string state, string? meta = null);

    /// <summary>Replaces a snapshot's state of a conversation of tenant default with JSON text.</summary>
    public abstract Task SetStoredSnapshotAsync(string userId, int version, string state);

    public async Task<(string State, string Meta, int Version)> StoredRowAsync(string userId)
    {
        await using var connection = await OpenDataAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT CAST(state AS TEXT), CAST(meta AS TEXT), version FROM states WHERE tenant = 'default' AND user_id = @u";
        AddParameter(command, "u", userId);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"no row for {userId}");
        return (reader.GetString(0), reader.GetString(1), Convert.ToInt32(reader.GetValue(2), System.Globalization.CultureInfo.InvariantCulture));
    }

    public async Task<string> StoredSnapshotAsync(string userId, int version)
    {
        await using var connection = await OpenDataAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT CAST(state AS TEXT) FROM state_history WHERE tenant = 'default' AND user_id = @u AND version = @v";
        AddParameter(command, "u", userId);
        AddParameter(command, "v", version);
        return (string)(await command.ExecuteScalarAsync() ?? throw new InvalidOperationException($"no snapshot {version} of {userId}"));
    }

    /// <summary>The wrapped data key of a conversation of tenant default, or null when the key store has none.</summary>
    public async Task<byte[]?> WrappedKeyAsync(string userId)
    {
        await using var connection = await OpenKeyStoreAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT wrapped FROM data_keys WHERE service_id = @s AND tenant = 'default' AND user_id = @u";
        AddParameter(command, "s", ServiceId);
        AddParameter(command, "u", userId);
        return await command.ExecuteScalarAsync() as byte[];
    }

    /// <summary>Puts one conversation's wrapped data key in place of another's, in the key store.</summary>
    public async Task CopyWrappedKeyAsync(string fromUserId, string toUserId)
    {
        await using var connection = await OpenKeyStoreAsync();
        await ExecuteAsync(connection, """
            UPDATE data_keys SET wrapped = (SELECT wrapped FROM data_keys WHERE service_id = @s AND tenant = 'default' AND user_id = @from)
            WHERE service_id = @s AND tenant = 'default' AND user_id = @to
            """, ("s", ServiceId), ("from", fromUserId), ("to", toUserId));
    }

    /// <summary>The stored state of <paramref name="storedState"/>, decrypted by the test itself with the live key store.</summary>
    public async Task<string?> DecryptAsync(string userId, string storedState, int version)
    {
        if (await WrappedKeyAsync(userId) is not { } wrapped)
        {
            return null;
        }

        var dataKey = MasterKeys.Unwrap(MasterKey, wrapped, ServiceId, "default", userId) ?? throw new InvalidOperationException("the live key does not unwrap");
        var sealedState = Convert.FromBase64String(JsonNode.Parse(storedState)!["sealed"]!.GetValue<string>());
        return MasterKeys.OpenState(dataKey, sealedState, "default", userId, version);
    }

    public abstract Task InitializeAsync();

    public abstract ValueTask DisposeAsync();

    protected static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    protected static async Task ExecuteAsync(DbConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            AddParameter(command, name, value);
        }

        await command.ExecuteNonQueryAsync();
    }

    protected static byte[] Concat(IEnumerable<byte[]> parts) => [.. parts.SelectMany(part => part)];

    protected static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}

/// <summary>Where a backup of the data database was put: a directory of SQLite files, or a <c>pg_dump</c> file.</summary>
public sealed record DataBackup(string Path);
