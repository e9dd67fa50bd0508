using System.Data;
using System.Data.Common;
using System.Globalization;
using BotStateCluster.ServiceDefaults;
using BotStateCluster.Silo.Storage;

namespace BotStateCluster.Silo.Encryption;

/// <summary>A plaintext row of <c>states</c>, <c>state_history</c> or <c>changes</c>, as <c>encrypt-existing</c> finds it.</summary>
internal sealed record PlaintextRow(ConversationKey Conversation, int Version, string State, string? Meta = null, long Sequence = 0);

/// <summary>
/// The data database's plaintext rows, walked in key order one page at a time, and each replaced by its sealed form
/// only while it is still exactly as read: a grain that wrote a newer version (already sealed) wins. Every statement
/// is one short transaction, so the silos' writes never wait long behind it.
/// </summary>
internal sealed class PlaintextRows(DatabaseTarget target, string serviceId)
{
    private readonly bool _sqlite = target.Kind == DatabaseKind.Sqlite;

    private string Plain => _sqlite ? "json_extract(state, '$.sealed') IS NULL" : "(state ->> 'sealed') IS NULL";

    private string Text(string column) => _sqlite ? column : $"{column}::text";

    private string Json(string parameter) => _sqlite ? parameter : $"CAST({parameter} AS json)";

    public async Task<long> CountAsync(CancellationToken cancellationToken) => Convert.ToInt64(await ScalarAsync($"""
        SELECT (SELECT COUNT(*) FROM states WHERE service_id = @ServiceId AND state IS NOT NULL AND {Plain})
             + (SELECT COUNT(*) FROM state_history WHERE service_id = @ServiceId AND {Plain})
             + (SELECT COUNT(*) FROM changes WHERE service_id = @ServiceId AND state IS NOT NULL AND {Plain})
        """, cancellationToken), CultureInfo.InvariantCulture);

    public Task<IReadOnlyList<PlaintextRow>> StatesAfterAsync(ConversationKey? after, int limit, CancellationToken cancellationToken) => ReadAsync($"""
        SELECT tenant, user_id, version, {Text("state")}, {Text("meta")}, 0 FROM states
        WHERE service_id = @ServiceId AND state IS NOT NULL AND {Plain} AND (tenant, user_id) > (@Tenant, @UserId)
        ORDER BY tenant, user_id LIMIT @Limit
        """, after, 0, 0, limit, cancellationToken);

    public Task<IReadOnlyList<PlaintextRow>> SnapshotsAfterAsync(ConversationKey? after, int version, int limit, CancellationToken cancellationToken) => ReadAsync($"""
        SELECT tenant, user_id, version, {Text("state")}, NULL, 0 FROM state_history
        WHERE service_id = @ServiceId AND {Plain} AND (tenant, user_id, version) > (@Tenant, @UserId, @Version)
        ORDER BY tenant, user_id, version LIMIT @Limit
        """, after, version, 0, limit, cancellationToken);

    public Task<IReadOnlyList<PlaintextRow>> ChangesAfterAsync(long sequence, int limit, CancellationToken cancellationToken) => ReadAsync($"""
        SELECT tenant, user_id, version, {Text("state")}, NULL, seq FROM changes
        WHERE service_id = @ServiceId AND state IS NOT NULL AND {Plain} AND seq > @Seq
        ORDER BY seq LIMIT @Limit
        """, null, 0, sequence, limit, cancellationToken);

    public Task<bool> ReplaceStateAsync(PlaintextRow row, string state, string meta, CancellationToken cancellationToken) => ExecuteAsync($"""
        UPDATE states SET state = {Json("@State")}, meta = {Json("@Meta")}
        WHERE service_id = @ServiceId AND tenant = @Tenant AND user_id = @UserId AND version = @Version AND {Text("state")} = @Old
        """, row, state, meta, cancellationToken);

    public Task<bool> ReplaceSnapshotAsync(PlaintextRow row, string state, CancellationToken cancellationToken) => ExecuteAsync($"""
        UPDATE state_history SET state = {Json("@State")}
        WHERE service_id = @ServiceId AND tenant = @Tenant AND user_id = @UserId AND version = @Version AND {Text("state")} = @Old
        """, row, state, null, cancellationToken);

    /// <summary>Replaces an event's state; null forgets it (its conversation was erased: no key may be made for it).</summary>
    public Task<bool> ReplaceChangeAsync(PlaintextRow row, string? state, CancellationToken cancellationToken) => ExecuteAsync($"""
        UPDATE changes SET state = {Json("@State")}
        WHERE service_id = @ServiceId AND tenant = @Tenant AND seq = @Seq AND {Text("state")} = @Old
        """, row, state, null, cancellationToken);

    /// <summary>Whether the conversation has a state now (not erased since the event).</summary>
    public async Task<bool> IsLiveAsync(ConversationKey conversation, CancellationToken cancellationToken) =>
        await ScalarAsync("SELECT 1 FROM states WHERE service_id = @ServiceId AND tenant = @Tenant AND user_id = @UserId AND state IS NOT NULL", cancellationToken, conversation) is not null;

    private async Task<object?> ScalarAsync(string sql, CancellationToken cancellationToken, ConversationKey? conversation = null)
    {
        await using var connection = await target.OpenAsync(cancellationToken);
        await using var command = Command(connection, sql, conversation);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is DBNull ? null : value;
    }

    private async Task<IReadOnlyList<PlaintextRow>> ReadAsync(string sql, ConversationKey? after, int version, long sequence, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await target.OpenAsync(cancellationToken);
        await using var command = Command(connection, sql, null);
        // With no row read yet, before every key: the empty tenant and user id sort first.
        command.With("Tenant", after?.Tenant.Value ?? "", DbType.String).With("UserId", after?.User.Value ?? "", DbType.String)
            .With("Version", version, DbType.Int32).With("Seq", sequence, DbType.Int64).With("Limit", limit, DbType.Int32);
        var rows = new List<PlaintextRow>(limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new PlaintextRow(
                new ConversationKey(TenantId.Parse(reader.GetString(0)), UserId.Parse(reader.GetString(1))),
                Convert.ToInt32(reader.GetValue(2), CultureInfo.InvariantCulture),
                reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                Convert.ToInt64(reader.GetValue(5), CultureInfo.InvariantCulture)));
        }

        return rows;
    }

    private async Task<bool> ExecuteAsync(string sql, PlaintextRow row, string? state, string? meta, CancellationToken cancellationToken)
    {
        await using var connection = await target.OpenAsync(cancellationToken);
        await using var command = Command(connection, sql, row.Conversation);
        command.With("Version", row.Version, DbType.Int32).With("Seq", row.Sequence, DbType.Int64).With("Old", row.State, DbType.String)
            .With("State", state, DbType.String).With("Meta", meta, DbType.String);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
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
