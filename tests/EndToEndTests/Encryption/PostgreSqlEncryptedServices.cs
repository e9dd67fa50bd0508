using System.Data.Common;
using System.Diagnostics;
using Npgsql;

namespace BotStateCluster.EndToEndTests;

/// <summary>The production shape with encryption on: a data database and a key store database on one PostgreSQL server.</summary>
public sealed class PostgreSqlEncryptedServices : EncryptedServices
{
    private readonly string _directory = Directory.CreateTempSubdirectory("botstate-enc-").FullName;
    private readonly List<PostgresDatabase> _restored = [];
    private readonly List<ServiceProcess> _processes = [];
    private PostgresDatabase? _data;
    private PostgresDatabase? _keys;

    public PostgresDatabase Data => _data ?? throw new InvalidOperationException("Not initialized.");

    public PostgresDatabase Keys => _keys ?? throw new InvalidOperationException("Not initialized.");

    public override ServiceProcess Launch(IReadOnlyDictionary<string, string>? settings = null) => Launch(Data.Url, settings);

    public override IReadOnlyDictionary<string, string> CommandEnvironment(string encryptionKeys) =>
        new Dictionary<string, string> { ["DB_URL"] = Data.Url, ["ENCRYPTION_KEYS"] = encryptionKeys, ["KEY_STORE_URL"] = Keys.Url };

    public override string WorkingDirectory => _directory;

    public override async Task<DataBackup> BackupAsync()
    {
        var file = Path.Combine(_directory, $"backup-{Guid.NewGuid():N}.sql");
        await RunAsync("pg_dump", "--no-owner", "--file", file, "--dbname", Data.Url);
        return new DataBackup(file);
    }

    public override async Task<ServiceProcess> StartOnRestoredAsync(DataBackup backup)
    {
        var restored = await PostgresDatabase.CreateAsync();
        _restored.Add(restored);
        await RunAsync("psql", "--quiet", "--no-psqlrc", "-v", "ON_ERROR_STOP=1", "--file", backup.Path, "--dbname", restored.Url);
        var silo = Launch(restored.Url, null);
        await silo.WaitUntilReadyAsync();
        return silo;
    }

    public override async Task<byte[]> EverythingStoredAsync()
    {
        var dumps = new List<byte[]>();
        foreach (var database in new[] { Data, Keys }.Concat(_restored))
        {
            var file = Path.Combine(_directory, $"dump-{Guid.NewGuid():N}.sql");
            await RunAsync("pg_dump", "--no-owner", "--file", file, "--dbname", database.Url);
            dumps.Add(await File.ReadAllBytesAsync(file));
        }

        dumps.AddRange(Directory.GetFiles(_directory, "backup-*.sql").Select(File.ReadAllBytes));
        return Concat(dumps);
    }

    public override async Task<DbConnection> OpenDataAsync() => await OpenAsync(Data.ConnectionString);

    public override async Task<DbConnection> OpenKeyStoreAsync() => await OpenAsync(Keys.ConnectionString);

    public override async Task SetStoredStateAsync(string userId, string state, string? meta = null)
    {
        await using var connection = await OpenDataAsync();
        await ExecuteAsync(connection, meta is null
            ? "UPDATE states SET state = CAST(@s AS json) WHERE tenant = 'default' AND user_id = @u"
            : "UPDATE states SET state = CAST(@s AS json), meta = CAST(@m AS json) WHERE tenant = 'default' AND user_id = @u", ("s", state), ("m", meta ?? "{}"), ("u", userId));
    }

    public override async Task SetStoredSnapshotAsync(string userId, int version, string state)
    {
        await using var connection = await OpenDataAsync();
        await ExecuteAsync(connection, "UPDATE state_history SET state = CAST(@s AS json) WHERE tenant = 'default' AND user_id = @u AND version = @v", ("s", state), ("u", userId), ("v", version));
    }

    public override async Task InitializeAsync()
    {
        _data = await PostgresDatabase.CreateAsync();
        _keys = await PostgresDatabase.CreateAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }

        foreach (var database in _restored.Concat([_data, _keys]).OfType<PostgresDatabase>())
        {
            await database.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }

    private ServiceProcess Launch(string dataUrl, IReadOnlyDictionary<string, string>? settings)
    {
        var environment = new Dictionary<string, string>
        {
            ["SILO_API_ENABLED"] = "true",
            ["ENCRYPTION_KEYS"] = EncryptionKeys,
            ["KEY_STORE_URL"] = Keys.Url,
        };
        foreach (var (name, value) in settings ?? new Dictionary<string, string>())
        {
            environment[name] = value;
        }

        // A cluster of its own each time: a restored copy holds the membership rows of the silos it was copied from.
        var process = PostgresCluster.Launch(ServiceKind.Silo, dataUrl, $"enc-{Guid.NewGuid():N}", _directory, environment);
        _processes.Add(process);
        return process;
    }

    private static async Task<DbConnection> OpenAsync(string connectionString)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static async Task RunAsync(string program, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{program} failed ({process.ExitCode}): {await errors}{await output}");
    }
}
