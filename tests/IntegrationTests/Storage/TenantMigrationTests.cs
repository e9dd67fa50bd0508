using System.Text.Json.Nodes;
using BotStateCluster.IntegrationTests.Support;
using BotStateCluster.ServiceDefaults;
using BotStateCluster.Silo.Storage;

namespace BotStateCluster.IntegrationTests.Storage;

/// <summary>
/// Migration 0006 on a database filled by the previous version (schema up to 0005, rows as its storage wrote them):
/// every conversation becomes one of the tenant <c>default</c>, with its state, version and history, and goes on
/// from there; the same user id of another tenant is another conversation.
/// </summary>
public sealed class TenantMigrationTests
{
    private const int TenantsMigration = 6;
    private const string ServiceId = "before-tenants";

    public static TheoryData<string> Backends => ["sqlite", "postgresql"];

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task ConversationsOfThePreviousVersionBelongToTheDefaultTenantAndKeepEverything(string kind)
    {
        var backend = kind == "sqlite" ? Backend.Sqlite() : await Backend.PostgreSqlAsync();
        await MigrateToPreviousVersionAsync(backend.Target);
        var dbKind = backend.Target.Kind;
        foreach (var (userId, version) in new[] { ("alice", 3), ("0+u1", 1), ("a/b", 2) })
        {
            await FillAsPreviousVersionAsync(backend.Target, dbKind, userId, version);
        }

        // 0006 and the migrations after it.
        Assert.Equal(SqlScripts.Migrations(dbKind).Count(migration => migration.Version >= TenantsMigration), await StateCluster.Migrate(backend.Target));
        await using var cluster = await StateCluster.StartAsync(backend, ServiceId);

        var alice = await cluster.Grain("alice").GetAsync();
        Assert.Equal(3, alice?.Version);
        Assert.Equal("v3", alice?.State.CurrentNode);
        var history = await cluster.Grain("alice").GetHistoryAsync(10);
        Assert.Equal([3, 2, 1], history.Items.Select(item => item.Version));
        Assert.Equal(1, (await cluster.Grain("0+u1").GetAsync())?.Version);
        Assert.Equal(2, (await cluster.Grain("a/b").GetAsync())?.Version);

        // The next write goes on from the stored version, into the same row.
        var turn = await cluster.Grain("alice").ProcessMessageAsync(new IncomingMessage("after the upgrade"), VersionCondition.OneOf(3));
        Assert.Equal(4, turn.Current?.Version);
        Assert.Equal(3, await Sql.CountAsync(backend.Target, "SELECT COUNT(*) FROM states WHERE tenant = 'default'"));

        // Another tenant's alice is a new conversation, at version 1.
        var other = cluster.Cluster.Client.GetStateGrain("acme", "alice");
        Assert.Null(await other.GetAsync());
        Assert.Equal(1, (await other.ProcessMessageAsync(new IncomingMessage("hi"), VersionCondition.None)).Current?.Version);
        Assert.Equal(4, (await cluster.Grain("alice").GetAsync())?.Version);
        Assert.Equal(1, await Sql.CountAsync(backend.Target, "SELECT COUNT(*) FROM states WHERE tenant = 'acme' AND user_id = 'alice'"));
    }

    // What a silo of the previous version left behind: the schema up to 0005 and its bookkeeping.
    private static async Task MigrateToPreviousVersionAsync(DatabaseTarget target)
    {
        await Sql.ExecuteAsync(target, SqlScripts.Script(target.Kind, "Bootstrap"));
        if (target.Kind == DatabaseKind.Sqlite)
        {
            await Sql.ExecuteAsync(target, "PRAGMA journal_mode=WAL;");
        }

        foreach (var migration in SqlScripts.Migrations(target.Kind).Where(migration => migration.Version < TenantsMigration))
        {
            await Sql.ExecuteAsync(target, migration.Sql);
            await Sql.ExecuteAsync(target, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@Version, @Name, '2026-01-01T00:00:00+00:00')",
                ("Version", migration.Version), ("Name", migration.Name));
        }
    }

    // Rows as the previous version's write query stored them: no tenant column, a snapshot per version.
    private static async Task FillAsPreviousVersionAsync(DatabaseTarget target, DatabaseKind kind, string userId, int versions)
    {
        string State(int version) => new JsonObject { ["thread_id"] = userId, ["current_node"] = $"v{version}", ["date"] = "2026-01-01T00:00:00.000000+00:00" }.ToJsonString();
        var cast = kind == DatabaseKind.PostgreSql ? "::json" : "";
        var date = kind == DatabaseKind.PostgreSql ? "'2026-01-01T00:00:00+00:00'::timestamptz" : "'2026-01-01T00:00:00.000000+00:00'";
        for (var version = 1; version <= versions; version++)
        {
            if (kind == DatabaseKind.PostgreSql)
            {
                await Sql.ExecuteAsync(target, $"INSERT INTO state_history (service_id, user_id, version, saved_at, state) VALUES ('{ServiceId}', @UserId, @Version, {date}, @State{cast})",
                    ("UserId", userId), ("Version", version), ("State", State(version)));
            }
        }

        // On SQLite the 0001 triggers write the snapshots, as they did for the previous version.
        for (var version = 1; version <= versions; version++)
        {
            var meta = """{"saved_at":"2026-01-01T00:00:00.000000+00:00","history_limit":5,"recent_turns":[]}""";
            await Sql.ExecuteAsync(target, version == 1
                ? $"INSERT INTO states (service_id, user_id, state, meta, version, updated_at) VALUES ('{ServiceId}', @UserId, @State{cast}, @Meta{cast}, 1, {date})"
                : $"UPDATE states SET state = @State{cast}, meta = @Meta{cast}, version = @Version WHERE service_id = '{ServiceId}' AND user_id = @UserId",
                ("UserId", userId), ("State", State(version)), ("Meta", meta), ("Version", version));
        }
    }
}
