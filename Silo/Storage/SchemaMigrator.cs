using System.Data.Common;
using BotStateCluster.ServiceDefaults;
using Microsoft.Data.Sqlite;

namespace BotStateCluster.Silo.Storage;

/// <summary>
/// Brings the database to the schema this build needs and registers the provider's query texts.
/// Idempotent, and safe when several silos start at once: everything runs in one transaction
/// behind a lock (PostgreSQL advisory lock, SQLite's immediate transaction).
/// </summary>
public sealed partial class SchemaMigrator(DatabaseTarget target, TimeProvider clock, ILogger<SchemaMigrator> logger)
{
    // Any fixed number; every process of the service takes the same one.
    private const long AdvisoryLockKey = 0x626f7473746174;

    /// <summary>Applies the pending migrations; returns how many ran.</summary>
    public async Task<int> MigrateAsync(CancellationToken cancellationToken)
    {
        if (target.SqliteFile is { } file)
        {
            await PrepareSqliteFileAsync(file, cancellationToken);
        }

        await using var connection = await target.OpenAsync(cancellationToken);
        await using var transaction = connection is SqliteConnection sqlite
            ? sqlite.BeginTransaction(deferred: false)
            : await connection.BeginTransactionAsync(cancellationToken);

        if (target.Kind == DatabaseKind.PostgreSql)
        {
            await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({AdvisoryLockKey})", cancellationToken);
        }

        await ExecuteAsync(connection, transaction, SqlScripts.Script(target.Kind, "Bootstrap"), cancellationToken);
        var applied = await AppliedVersionsAsync(connection, transaction, cancellationToken);
        var ran = 0;
        foreach (var migration in SqlScripts.Migrations(target.Kind).Where(migration => !applied.Contains(migration.Version)))
        {
            LogApplying(migration.Name, target.Description);
            await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken);
            await ExecuteAsync(connection, transaction,
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@Version, @Name, @AppliedAt)",
                cancellationToken,
                ("Version", migration.Version), ("Name", migration.Name), ("AppliedAt", PythonDate.Format(clock.GetUtcNow())));
            ran++;
        }

        foreach (var key in SqlScripts.ProviderQueryKeys(target.Kind))
        {
            await ExecuteAsync(connection, transaction, SqlScripts.Script(target.Kind, "RegisterQuery"), cancellationToken,
                ("QueryKey", key), ("QueryText", SqlScripts.ProviderQuery(target.Kind, key)));
        }

        await transaction.CommitAsync(cancellationToken);
        LogMigrated(target.Description, ran);
        return ran;
    }

    private static async Task PrepareSqliteFileAsync(string file, CancellationToken cancellationToken)
    {
        if (Path.GetDirectoryName(Path.GetFullPath(file)) is { Length: > 0 } directory)
        {
            Directory.CreateDirectory(directory);
        }

        // WAL lets the gateway's readiness reads and concurrent writers proceed without 'database is locked';
        // it is a property of the file, so setting it once is enough, and setting it again is harmless.
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<HashSet<int>> AppliedVersionsAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT version FROM schema_migrations";
        var versions = new HashSet<int>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            versions.Add(Convert.ToInt32(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture));
        }

        return versions;
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.With(name, value);
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applying migration {Migration} to {Database}")]
    private partial void LogApplying(string migration, string database);

    [LoggerMessage(Level = LogLevel.Information, Message = "Schema of {Database} is current ({Applied} migrations applied now)")]
    private partial void LogMigrated(string database, int applied);
}
