using System.Data;
using System.Data.Common;
using System.Globalization;
using BotStateCluster.Grains;
using BotStateCluster.ServiceDefaults;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace BotStateCluster.Silo.Storage;

/// <summary>Reads a tenant's events from <c>changes</c> (migration 0007) in the order that never skips one: ReadChanges.sql.</summary>
internal sealed class SqlChangeFeed(DatabaseTarget target, IOptions<ClusterOptions> cluster, StorageGuard guard) : IChangeFeed
{
    private readonly string _pageQuery = SqlScripts.Script(target.Kind, "ReadChanges");
    private readonly string _oneQuery = SqlScripts.Script(target.Kind, "ReadChange");

    public Task<IReadOnlyList<ChangeEvent>> ReadAsync(TenantId tenant, ChangeCursor after, int limit, CancellationToken cancellationToken) =>
        guard.RunAsync("change feed read", () => QueryAsync(_pageQuery, tenant, after, limit, cancellationToken));

    public async Task<ChangeEvent?> ReadOneAsync(TenantId tenant, ChangeCursor cursor, CancellationToken cancellationToken) =>
        (await guard.RunAsync("change feed read", () => QueryAsync(_oneQuery, tenant, cursor, 1, cancellationToken))).SingleOrDefault();

    private async Task<IReadOnlyList<ChangeEvent>> QueryAsync(string sql, TenantId tenant, ChangeCursor cursor, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await target.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.With("ServiceId", cluster.Value.ServiceId, DbType.String)
            .With("Tenant", tenant.Value, DbType.String)
            .With("AfterXid", cursor.Transaction, DbType.Int64)
            .With("AfterSeq", cursor.Sequence, DbType.Int64)
            .With("Limit", limit, DbType.Int32);
        var events = new List<ChangeEvent>(Math.Min(limit, 256));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(Read(reader));
        }

        return events;
    }

    private static ChangeEvent Read(DbDataReader reader) => new(
        new ChangeCursor(Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture), Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture)),
        reader.GetString(4),
        reader.GetString(2),
        Convert.ToInt32(reader.GetValue(3), CultureInfo.InvariantCulture),
        StoredDate.Read(reader.GetValue(6), "changes.at"),
        reader.IsDBNull(5) ? null : reader.GetString(5),
        reader.IsDBNull(7) ? null : reader.GetString(7));
}
