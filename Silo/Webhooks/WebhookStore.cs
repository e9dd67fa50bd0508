using System.Data;
using System.Data.Common;
using System.Globalization;
using BotStateCluster.ServiceDefaults;
using BotStateCluster.Silo.Storage;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace BotStateCluster.Silo.Webhooks;

/// <summary>Where each tenant's sender has got to, and the deliveries that failed after their last try (migration 0008).</summary>
internal sealed class WebhookStore(DatabaseTarget target, IOptions<ClusterOptions> cluster, StorageGuard guard, TimeProvider clock)
{
    private readonly string _readCursor = SqlScripts.Script(target.Kind, "Webhooks/ReadCursor");
    private readonly string _saveCursor = SqlScripts.Script(target.Kind, "Webhooks/SaveCursor");
    private readonly string _recordFailure = SqlScripts.Script(target.Kind, "Webhooks/RecordFailure");
    private readonly string _listFailures = SqlScripts.Script(target.Kind, "Webhooks/ListFailures");
    private readonly string _requestRetry = SqlScripts.Script(target.Kind, "Webhooks/RequestRetry");
    private readonly string _retriesRequested = SqlScripts.Script(target.Kind, "Webhooks/RetriesRequested");
    private readonly string _deleteFailure = SqlScripts.Script(target.Kind, "Webhooks/DeleteFailure");

    /// <summary>The position after the last event handled, or null when the tenant's sender never ran.</summary>
    public Task<ChangeCursor?> ReadCursorAsync(TenantId tenant, CancellationToken cancellationToken) =>
        RunAsync("webhook cursor read", tenant, _readCursor, async command =>
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken) ? (ChangeCursor?)CursorAt(reader, 0) : null;
        }, cancellationToken);

    public Task SaveCursorAsync(TenantId tenant, ChangeCursor cursor, CancellationToken cancellationToken) =>
        RunAsync("webhook cursor write", tenant, _saveCursor, async command =>
        {
            WithCursor(command, cursor).WithDate(target.Kind, "Now", clock.GetUtcNow());
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    public Task RecordFailureAsync(TenantId tenant, ChangeEvent change, int attempts, string error, CancellationToken cancellationToken) =>
        RunAsync("webhook failure write", tenant, _recordFailure, async command =>
        {
            WithCursor(command, change.Cursor)
                .With("UserId", change.ThreadId, DbType.String).With("Version", change.Version, DbType.Int32).With("Kind", change.Kind, DbType.String)
                .With("Attempts", attempts, DbType.Int32).With("LastError", error, DbType.String)
                .WithDate(target.Kind, "Now", clock.GetUtcNow());
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    public Task<IReadOnlyList<FailedDelivery>> ListFailuresAsync(TenantId tenant, int limit, CancellationToken cancellationToken) =>
        RunAsync<IReadOnlyList<FailedDelivery>>("webhook failures read", tenant, _listFailures, async command =>
        {
            command.With("Limit", limit, DbType.Int32);
            var failures = new List<FailedDelivery>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                failures.Add(new FailedDelivery(
                    CursorAt(reader, 0), reader.GetString(2), Convert.ToInt32(reader.GetValue(3), CultureInfo.InvariantCulture), reader.GetString(4),
                    Convert.ToInt32(reader.GetValue(5), CultureInfo.InvariantCulture), reader.GetString(6), StoredDate.Read(reader.GetValue(7), "webhook_failures.failed_at")));
            }

            return failures;
        }, cancellationToken);

    /// <summary>Marks <paramref name="ids"/>' failed deliveries (all, when null) to be tried again; returns how many.</summary>
    public async Task<int> RequestRetryAsync(TenantId tenant, IReadOnlyList<ChangeCursor>? ids, CancellationToken cancellationToken)
    {
        var marked = 0;
        foreach (var id in ids ?? [ChangeCursor.Start])
        {
            marked += await RunAsync("webhook failure write", tenant, _requestRetry, async command =>
            {
                WithCursor(command, id).With("All", ids is null, DbType.Boolean);
                return await command.ExecuteNonQueryAsync(cancellationToken);
            }, cancellationToken);
        }

        return marked;
    }

    public Task<IReadOnlyList<ChangeCursor>> RetriesRequestedAsync(TenantId tenant, int limit, CancellationToken cancellationToken) =>
        RunAsync<IReadOnlyList<ChangeCursor>>("webhook failures read", tenant, _retriesRequested, async command =>
        {
            command.With("Limit", limit, DbType.Int32);
            var cursors = new List<ChangeCursor>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                cursors.Add(CursorAt(reader, 0));
            }

            return cursors;
        }, cancellationToken);

    public Task DeleteFailureAsync(TenantId tenant, ChangeCursor id, CancellationToken cancellationToken) =>
        RunAsync("webhook failure write", tenant, _deleteFailure, async command =>
        {
            WithCursor(command, id);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    private static DbCommand WithCursor(DbCommand command, ChangeCursor cursor) =>
        command.With("Xid", cursor.Transaction, DbType.Int64).With("Seq", cursor.Sequence, DbType.Int64);

    private static ChangeCursor CursorAt(DbDataReader reader, int column) =>
        new(Convert.ToInt64(reader.GetValue(column), CultureInfo.InvariantCulture), Convert.ToInt64(reader.GetValue(column + 1), CultureInfo.InvariantCulture));

    private Task<T> RunAsync<T>(string operation, TenantId tenant, string sql, Func<DbCommand, Task<T>> run, CancellationToken cancellationToken) =>
        guard.RunAsync(operation, async () =>
        {
            await using var connection = await target.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.With("ServiceId", cluster.Value.ServiceId, DbType.String).With("Tenant", tenant.Value, DbType.String);
            return await run(command);
        });
}
