using BotStateCluster.IntegrationTests.Support;
using BotStateCluster.ServiceDefaults;
using BotStateCluster.Silo.Storage;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace BotStateCluster.IntegrationTests.Lifecycle;

/// <summary>
/// On SQLite the listing and the sweep search their index ranges too: no table scan, no sort. Filtered listings walk
/// the update index and skip what does not match (migration 0005 dropped the node and intent indexes: every turn
/// rewrote them).
/// </summary>
public sealed class SqliteQueryPlanTests : IAsyncLifetime
{
    private readonly Backend _backend = Backend.Sqlite();

    public async Task InitializeAsync() => await StateCluster.Migrate(_backend.Target);

    public async Task DisposeAsync() => await _backend.DisposeAsync();

    public static TheoryData<string, string> Listings => new()
    {
        { "first", "states_live_by_update" },
        { "cursor", "states_live_by_update" },
        { "node", "states_live_by_update" },
        { "intent", "states_live_by_update" },
        { "dates", "states_live_by_update" },
    };

    [Theory]
    [MemberData(nameof(Listings))]
    public async Task AListingPageSearchesOneIndexInOrder(string shape, string expectedIndex)
    {
        var cursor = new ConversationCursor(DateTimeOffset.UtcNow, "u1");
        var query = shape switch
        {
            "cursor" => new ConversationQuery(TenantId.Default, 100, After: cursor),
            "node" => new ConversationQuery(TenantId.Default, 100, After: cursor, CurrentNode: "n"),
            "intent" => new ConversationQuery(TenantId.Default, 100, IntentId: "i"),
            "dates" => new ConversationQuery(TenantId.Default, 100, After: cursor, UpdatedAfter: DateTimeOffset.UtcNow.AddDays(-1), UpdatedBefore: DateTimeOffset.UtcNow),
            _ => new ConversationQuery(TenantId.Default, 100),
        };
        var index = new SqlConversationIndex(_backend.Target, Options.Create(new ClusterOptions { ServiceId = "plan" }));
        await using var connection = await _backend.Target.OpenAsync(CancellationToken.None);
        await using var command = index.CreateCommand(connection, query, 101, null);

        AssertSearches(await PlanAsync(command), expectedIndex);
    }

    [Fact]
    public async Task ASweepBatchSearchesTheUpdateIndex()
    {
        await using var connection = await _backend.Target.OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = SqlScripts.Script(DatabaseKind.Sqlite, "Retention/IdleStates");
        command.WithDate(DatabaseKind.Sqlite, "Cutoff", DateTimeOffset.UtcNow).WithDate(DatabaseKind.Sqlite, "AfterAt", DateTimeOffset.MinValue)
            .With("AfterId", "").With("ServiceId", "plan").With("Batch", 500);

        AssertSearches(await PlanAsync(command), "states_live_by_update");
    }

    private static async Task<string> PlanAsync(System.Data.Common.DbCommand command)
    {
        command.CommandText = "EXPLAIN QUERY PLAN " + command.CommandText;
        var plan = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            plan.Add(reader.GetString(3));
        }

        return string.Join('\n', plan);
    }

    private static void AssertSearches(string plan, string expectedIndex)
    {
        Assert.Contains($"SEARCH states USING INDEX {expectedIndex}", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("TEMP B-TREE", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("SCAN", plan, StringComparison.Ordinal);
    }
}
