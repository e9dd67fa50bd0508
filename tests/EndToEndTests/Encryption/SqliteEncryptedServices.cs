using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace BotStateCluster.EndToEndTests;

/// <summary>The embedded default with encryption on: the data file and, beside it, the key store file (its default place).</summary>
public sealed class SqliteEncryptedServices : EncryptedServices
{
    private readonly ServiceCluster _cluster = new();
    private readonly List<ServiceCluster> _restored = [];

    public string KeyStoreFile => Path.Combine(_cluster.Directory, "botstate.keys.db");

    public string DataFile => _cluster.DatabaseFile;

    public override ServiceProcess Launch(IReadOnlyDictionary<string, string>? settings = null)
    {
        var environment = new Dictionary<string, string> { ["SILO_API_ENABLED"] = "true", ["ENCRYPTION_KEYS"] = EncryptionKeys };
        foreach (var (name, value) in settings ?? new Dictionary<string, string>())
        {
            environment[name] = value;
        }

        return _cluster.Launch(ServiceKind.Silo, environment);
    }

    public override IReadOnlyDictionary<string, string> CommandEnvironment(string encryptionKeys) =>
        new Dictionary<string, string> { ["DB_URL"] = $"sqlite:///{DataFile}", ["ENCRYPTION_KEYS"] = encryptionKeys };

    public override string WorkingDirectory => _cluster.Directory;

    public override async Task<DataBackup> BackupAsync()
    {
        // The files as they are on disk, the write-ahead log included: what a file-level backup of a live silo copies.
        var directory = Directory.CreateTempSubdirectory("botstate-backup-").FullName;
        foreach (var file in DataFiles(DataFile))
        {
            await using var source = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            await using var copy = File.Create(Path.Combine(directory, Path.GetFileName(file)));
            await source.CopyToAsync(copy);
        }

        return new DataBackup(directory);
    }

    public override async Task<ServiceProcess> StartOnRestoredAsync(DataBackup backup)
    {
        var restored = new ServiceCluster();
        _restored.Add(restored);
        foreach (var file in Directory.GetFiles(backup.Path))
        {
            File.Copy(file, Path.Combine(restored.Directory, Path.GetFileName(file)));
        }

        var silo = restored.Launch(ServiceKind.Silo, new Dictionary<string, string>
        {
            ["SILO_API_ENABLED"] = "true",
            ["ENCRYPTION_KEYS"] = EncryptionKeys,
            ["KEY_STORE_URL"] = $"sqlite:///{KeyStoreFile}",
        });
        await silo.WaitUntilReadyAsync();
        return silo;
    }

    public override async Task<byte[]> EverythingStoredAsync()
    {
        var files = DataFiles(DataFile).Concat(DataFiles(KeyStoreFile)).Concat(_restored.SelectMany(cluster => DataFiles(cluster.DatabaseFile)));
        var contents = new List<byte[]>();
        foreach (var file in files)
        {
            await using var source = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var copy = new MemoryStream();
            await source.CopyToAsync(copy);
            contents.Add(copy.ToArray());
        }

        return Concat(contents);
    }

    public override async Task<DbConnection> OpenDataAsync() => await OpenAsync(DataFile);

    public override async Task<DbConnection> OpenKeyStoreAsync() => await OpenAsync(KeyStoreFile);

    public override async Task SetStoredStateAsync(string userId, string state, string? meta = null)
    {
        await using var connection = await OpenDataAsync();
        await ExecuteAsync(connection, meta is null
            ? "UPDATE states SET state = @s WHERE tenant = 'default' AND user_id = @u"
            : "UPDATE states SET state = @s, meta = @m WHERE tenant = 'default' AND user_id = @u", ("s", state), ("m", meta ?? ""), ("u", userId));
    }

    public override async Task SetStoredSnapshotAsync(string userId, int version, string state)
    {
        await using var connection = await OpenDataAsync();
        await ExecuteAsync(connection, "UPDATE state_history SET state = @s WHERE tenant = 'default' AND user_id = @u AND version = @v", ("s", state), ("u", userId), ("v", version));
    }

    public override Task InitializeAsync() => Task.CompletedTask;

    public override async ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        foreach (var cluster in _restored)
        {
            await cluster.DisposeAsync();
        }

        await _cluster.DisposeAsync();
    }

    /// <summary>The database file and whichever of its write-ahead log and shared-memory files exist.</summary>
    public static IEnumerable<string> DataFiles(string database) =>
        new[] { database, database + "-wal", database + "-shm" }.Where(File.Exists);

    private static async Task<DbConnection> OpenAsync(string file)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false, DefaultTimeout = 10 }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }
}
