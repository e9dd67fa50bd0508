using System.Text;
using System.Text.RegularExpressions;
using BotStateCluster.IntegrationTests.Support;
using BotStateCluster.ServiceDefaults;
using BotStateCluster.Silo.Storage;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Xunit.Abstractions;

namespace BotStateCluster.IntegrationTests.Lifecycle;

/// <summary>
/// The listing and the retention sweep at 1,000,000 conversations on PostgreSQL: each page or batch is
/// one index range scan that reads a bounded number of buffers, however deep into the table it is.
/// </summary>
public sealed partial class QueryPlanTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Rows = 1_000_000;
    private const string ServiceId = "plan";
    // A page of 101 rows touches about that many heap pages plus a few index pages; a scan of the table would touch tens of thousands.
    private const int MaxBuffers = 400;

    private Backend _backend = null!;

    public async Task InitializeAsync()
    {
        _backend = await Backend.PostgreSqlAsync();
        await StateCluster.Migrate(_backend.Target);
        // The indexes are built once after the load, from the migration itself: far quicker than growing them row by row.
        var lifecycle = SqlScripts.Migrations(DatabaseKind.PostgreSql).Single(migration => migration.Name.StartsWith("0003_", StringComparison.Ordinal));
        // 0006 remakes the live indexes with the tenant; its index statements, without the column it adds.
        var tenants = SqlScripts.Migrations(DatabaseKind.PostgreSql).Single(migration => migration.Name.StartsWith("0006_", StringComparison.Ordinal)).Sql;
        var tenantIndexes = tenants[tenants.IndexOf("DROP INDEX", StringComparison.Ordinal)..];
        await using var connection = await _backend.Target.OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandTimeout = 600;
        // One conversation a second from 2026 on; nodes and intents spread over 100 and 50 values; one in ten of another tenant.
        command.CommandText = $"""
            DROP INDEX states_live_by_update, states_live_by_node, states_live_by_intent, states_tombstones_by_update, state_history_by_saved;
            INSERT INTO states (service_id, tenant, user_id, state, meta, version, updated_at)
            SELECT '{ServiceId}', CASE WHEN i % 10 = 0 THEN 'other' ELSE 'default' END, 'u' || i,
                   jsonb_build_object('thread_id', 'u' || i, 'current_node', 'n' || (i % 100), 'intent', jsonb_build_object('id', 'i' || (i % 50))),
                   jsonb_build_object(), 1, timestamptz '2026-01-01 00:00:00+00' + i * interval '1 second'
            FROM generate_series(1, {Rows}) AS i;
            {lifecycle.Sql}
            {tenantIndexes}
            ANALYZE states;
            """;
        await command.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync() => await _backend.DisposeAsync();

    [Fact]
    public async Task ListingPagesAndSweepBatchesAreBoundedIndexScansAtAMillionRows()
    {
        var index = new SqlConversationIndex(_backend.Target, Options.Create(new ClusterOptions { ServiceId = ServiceId }));
        var middle = new ConversationCursor(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(Rows / 2), $"u{Rows / 2}");
        var report = new StringBuilder();

        await ExplainListingAsync(index, "first page", new ConversationQuery(TenantId.Default, 100), "states_live_by_update", report);
        await ExplainListingAsync(index, "page in the middle of the walk", new ConversationQuery(TenantId.Default, 100, After: middle), "states_live_by_update", report);
        await ExplainListingAsync(index, "current_node filter, middle", new ConversationQuery(TenantId.Default, 100, After: middle, CurrentNode: "n7"), "states_live_by_node", report);
        await ExplainListingAsync(index, "intent_id filter", new ConversationQuery(TenantId.Default, 100, IntentId: "i7"), "states_live_by_intent", report);

        var sweepBatch = SqlScripts.Script(DatabaseKind.PostgreSql, "Retention/IdleStates")
            .Replace("@ServiceId", $"'{ServiceId}'").Replace("@Tenant", "'default'").Replace("@Cutoff", "timestamptz '2026-01-10 00:00:00+00'")
            .Replace("@AfterAt", "timestamptz '2026-01-05 00:00:00+00'").Replace("@AfterId", "''").Replace("@Batch", "500");
        await ExplainAsync("retention batch (idle states, mid-table)", sweepBatch, "states_live_by_update", report);
        var tenantsWithLiveStates = SqlScripts.Script(DatabaseKind.PostgreSql, "Retention/Tenants").Replace("@ServiceId", $"'{ServiceId}'");
        await ExplainAsync("retention: the tenants with live conversations", tenantsWithLiveStates, "states_live_by_update", report);
        output.WriteLine(report.ToString());
    }

    private async Task ExplainListingAsync(SqlConversationIndex index, string name, ConversationQuery query, string expectedIndex, StringBuilder report)
    {
        await using var connection = await _backend.Target.OpenAsync(CancellationToken.None);
        await using var command = index.CreateCommand(connection, query, query.Limit + 1, null);
        command.CommandText = "EXPLAIN (ANALYZE, BUFFERS) " + command.CommandText;
        Check(name, await ReadPlanAsync(command), expectedIndex, report);
    }

    private async Task ExplainAsync(string name, string sql, string expectedIndex, StringBuilder report)
    {
        await using var connection = await _backend.Target.OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN (ANALYZE, BUFFERS) " + sql;
        Check(name, await ReadPlanAsync(command), expectedIndex, report);
    }

    private static async Task<string> ReadPlanAsync(System.Data.Common.DbCommand command)
    {
        var plan = new StringBuilder();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            plan.AppendLine(reader.GetString(0));
        }

        return plan.ToString();
    }

    private static void Check(string name, string plan, string expectedIndex, StringBuilder report)
    {
        report.AppendLine($"-- {name} ({Rows:N0} rows)").AppendLine(plan);
        Assert.True(plan.Contains(expectedIndex, StringComparison.Ordinal), $"{name}: expected a scan of {expectedIndex}:\n{plan}");
        Assert.DoesNotContain("Seq Scan", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("Sort Key", plan, StringComparison.Ordinal);
        var buffers = Buffers().Matches(plan.Split('\n').First(line => line.Contains("Buffers:", StringComparison.Ordinal)))
            .Sum(match => int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(buffers <= MaxBuffers, $"{name}: {buffers} buffers for one page:\n{plan}");
    }

    [GeneratedRegex(@"(?:hit|read|dirtied|written)=(\d+)")]
    private static partial Regex Buffers();
}
