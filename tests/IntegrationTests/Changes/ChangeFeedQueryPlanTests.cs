using System.Data.Common;
using System.Text;
using BotStateCluster.IntegrationTests.Support;
using BotStateCluster.ServiceDefaults;
using BotStateCluster.Silo.Storage;

namespace BotStateCluster.IntegrationTests.Changes;

/// <summary>
/// A page of the change feed and a batch of its purge are searches of one index range, on both backends: no scan of the
/// table, no sort of a tenant's events, however many the feed holds.
/// </summary>
public sealed class ChangeFeedQueryPlanTests
{
    private const int Events = 50_000;

    [Fact]
    public async Task OnPostgreSqlAPageInTheMiddleOfTheFeedReadsAPageOfTheIndex()
    {
        await using var backend = await Backend.PostgreSqlAsync();
        await StateCluster.Migrate(backend.Target);
        // Ten tenants' events, a hundred to a transaction, every transaction long ended.
        await ExecuteAsync(backend, $"""
            INSERT INTO changes (service_id, tenant, xid, user_id, version, kind, at, state)
            SELECT 'plan', 't' || (i % 10), (3 + i / 100)::text::xid8, 'u' || i, 1, 'created', now(), NULL
            FROM generate_series(1, {Events}) AS i;
            ANALYZE changes;
            """);

        var page = await ExplainAsync(backend, SqlScripts.Script(DatabaseKind.PostgreSql, "ReadChanges"), ("ServiceId", "plan"), ("Tenant", "t3"), ("AfterXid", 100L), ("AfterSeq", 0L), ("Limit", 100));
        var purge = await ExplainAsync(backend, SqlScripts.Script(DatabaseKind.PostgreSql, "Retention/PurgeChanges"), ("ServiceId", "plan"), ("Cutoff", DateTimeOffset.UtcNow.AddDays(-7)), ("Batch", 500));

        Assert.Contains("Index Scan using changes_pkey", page, StringComparison.Ordinal);
        Assert.Contains("rows=100 ", page, StringComparison.Ordinal);
        Assert.Contains("changes_by_age", purge, StringComparison.Ordinal);
        foreach (var plan in new[] { page, purge })
        {
            Assert.DoesNotContain("Seq Scan", plan, StringComparison.Ordinal);
            Assert.DoesNotContain("Sort Key", plan, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task OnSqliteAPageAndAPurgeBatchSearchTheirIndexes()
    {
        await using var backend = Backend.Sqlite();
        await StateCluster.Migrate(backend.Target);

        var page = await QueryPlanAsync(backend, SqlScripts.Script(DatabaseKind.Sqlite, "ReadChanges"), ("ServiceId", "plan"), ("Tenant", "t3"), ("AfterXid", 0L), ("AfterSeq", 100L), ("Limit", 100));
        var purge = await QueryPlanAsync(backend, SqlScripts.Script(DatabaseKind.Sqlite, "Retention/PurgeChanges"), ("ServiceId", "plan"), ("Cutoff", PythonDate.Format(DateTimeOffset.UtcNow)), ("Batch", 500));

        Assert.Contains("SEARCH changes USING INDEX changes_by_tenant", page, StringComparison.Ordinal);
        Assert.DoesNotContain("SCAN changes", page, StringComparison.Ordinal);
        // The purge reads the oldest events in rowid order, a batch of them at most: a scan that stops, never a sort.
        Assert.Contains("SCAN changes", purge, StringComparison.Ordinal);
        foreach (var plan in new[] { page, purge })
        {
            Assert.DoesNotContain("TEMP B-TREE", plan, StringComparison.Ordinal);
        }
    }

    private static async Task ExecuteAsync(Backend backend, string sql)
    {
        await using var connection = await backend.Target.OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 300;
        await command.ExecuteNonQueryAsync();
    }

    private static Task<string> ExplainAsync(Backend backend, string sql, params (string Name, object Value)[] parameters) =>
        PlanAsync(backend, "EXPLAIN (ANALYZE, BUFFERS) " + sql, column: 0, parameters);

    private static Task<string> QueryPlanAsync(Backend backend, string sql, params (string Name, object Value)[] parameters) =>
        PlanAsync(backend, "EXPLAIN QUERY PLAN " + sql, column: 3, parameters);

    private static async Task<string> PlanAsync(Backend backend, string sql, int column, (string Name, object Value)[] parameters)
    {
        await using var connection = await backend.Target.OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        var plan = new StringBuilder();
        await using DbDataReader reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            plan.AppendLine(reader.GetValue(column).ToString());
        }

        return plan.ToString();
    }
}
