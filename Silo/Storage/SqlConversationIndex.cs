using System.Data;
using System.Data.Common;
using System.Text;
using BotStateCluster.Grains;
using BotStateCluster.ServiceDefaults;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace BotStateCluster.Silo.Storage;

/// <summary>
/// Lists a tenant's conversations with keyset paging over the indexes of migrations 0003 and 0006: each page is one range
/// scan of at most a page of index entries, whatever the table holds and however deep the walk is. On SQLite a
/// page filtered by node or intent walks the update index and skips what does not match (its migration 0005).
/// </summary>
/// <remarks>
/// The WHERE clause holds only the filters given, so each query matches its index exactly (a
/// <c>@x IS NULL OR …</c> form would hide it from SQLite's planner). Every fragment is a constant; values
/// travel as parameters.
/// </remarks>
internal sealed class SqlConversationIndex(DatabaseTarget target, IOptions<ClusterOptions> cluster) : IConversationIndex
{
    // The same expressions as the indexes of 0006_tenants.sql (PostgreSQL), which the planner matches textually.
    private readonly string _nodeExpression = target.Kind == DatabaseKind.Sqlite ? "state ->> '$.current_node'" : "state ->> 'current_node'";
    private readonly string _intentExpression = target.Kind == DatabaseKind.Sqlite ? "state ->> '$.intent.id'" : "(state -> 'intent') ->> 'id'";

    public async Task<IReadOnlyList<ConversationSummary>> ListAsync(ConversationQuery query, int limit, DateTimeOffset? notUpdatedBefore, CancellationToken cancellationToken)
    {
        await using var connection = await target.OpenAsync(cancellationToken);
        await using var command = CreateCommand(connection, query, limit, notUpdatedBefore);
        var items = new List<ConversationSummary>(limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(new ConversationSummary(
                reader.GetString(0),
                Convert.ToInt32(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture),
                StoredDate.Read(reader.GetValue(2), "states.updated_at"),
                reader.IsDBNull(3) ? null : Convert.ToString(reader.GetValue(3), System.Globalization.CultureInfo.InvariantCulture),
                reader.IsDBNull(4) ? null : Convert.ToString(reader.GetValue(4), System.Globalization.CultureInfo.InvariantCulture)));
        }

        return items;
    }

    /// <summary>The listing statement with its parameters (the tests EXPLAIN it).</summary>
    internal DbCommand CreateCommand(DbConnection connection, ConversationQuery query, int limit, DateTimeOffset? notUpdatedBefore)
    {
        var command = connection.CreateCommand();
        command.CommandText = Sql(query, notUpdatedBefore);
        command.With("ServiceId", cluster.Value.ServiceId, DbType.String).With("Tenant", query.Tenant.Value, DbType.String).With("Limit", limit, DbType.Int32)
            .With("Node", query.CurrentNode, DbType.String).With("Intent", query.IntentId, DbType.String)
            .With("AfterId", query.After?.ThreadId, DbType.String)
            .WithDate(target.Kind, "AfterAt", query.After?.UpdatedAt)
            .WithDate(target.Kind, "UpdatedAfter", Later(query.UpdatedAfter, notUpdatedBefore))
            .WithDate(target.Kind, "UpdatedBefore", query.UpdatedBefore);
        return command;
    }

    private string Sql(ConversationQuery query, DateTimeOffset? notUpdatedBefore)
    {
        var sql = new StringBuilder($"""
            SELECT user_id, version, updated_at, {_nodeExpression}, {_intentExpression}
            FROM states
            WHERE service_id = @ServiceId
              AND tenant = @Tenant
              AND state IS NOT NULL
            """);
        if (query.CurrentNode is not null)
        {
            sql.Append($"\n  AND {_nodeExpression} = @Node");
        }

        if (query.IntentId is not null)
        {
            sql.Append($"\n  AND {_intentExpression} = @Intent");
        }

        // Exclusive bounds, like the cursor: updated_after=X lists what changed after X.
        if (query.UpdatedAfter is not null || notUpdatedBefore is not null)
        {
            sql.Append("\n  AND updated_at > @UpdatedAfter");
        }

        if (query.UpdatedBefore is not null)
        {
            sql.Append("\n  AND updated_at < @UpdatedBefore");
        }

        if (query.After is not null)
        {
            sql.Append("\n  AND (updated_at, user_id) < (@AfterAt, @AfterId)");
        }

        sql.Append("\nORDER BY updated_at DESC, user_id DESC\nLIMIT @Limit");
        return sql.ToString();
    }

    private static DateTimeOffset? Later(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : a > b ? a : b;
}
