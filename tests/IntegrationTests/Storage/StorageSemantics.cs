using System.Text.Json.Nodes;
using BotStateCluster.IntegrationTests.Support;
using Orleans.Storage;

namespace BotStateCluster.IntegrationTests.Storage;

/// <summary>
/// What the storage must guarantee, run unchanged against SQLite and PostgreSQL through the real
/// ADO.NET provider and our query texts. Each test uses its own user ids.
/// </summary>
public abstract class StorageSemantics(StateCluster cluster)
{
    private static readonly IncomingMessage Hello = new("hello", new JsonObject { ["lang"] = "en" });

    private static string NewUser(string prefix = "u") => $"{prefix}-{Guid.NewGuid():N}";

    [Fact]
    public async Task StateIsStoredAsReadableJsonUnderTheBareUserId()
    {
        var user = NewUser();
        await cluster.Grain(user).ProcessMessageAsync(Hello, VersionCondition.None);

        Assert.Equal(user, await Sql.ScalarAsync(cluster.Backend.Target, "SELECT state ->> 'thread_id' FROM states WHERE user_id = @u", ("u", user)));
        Assert.Equal("hello", await Sql.ScalarAsync(cluster.Backend.Target, "SELECT state -> 'user_message' ->> 'text' FROM states WHERE user_id = @u", ("u", user)));
        Assert.Equal("", await Sql.ScalarAsync(cluster.Backend.Target, "SELECT state ->> 'current_node' FROM states WHERE user_id = @u", ("u", user)));
        Assert.Equal(1L, Convert.ToInt64(await Sql.ScalarAsync(cluster.Backend.Target, "SELECT version FROM states WHERE user_id = @u", ("u", user))));
    }

    [Fact]
    public async Task EveryShapeOfUserIdGetsItsOwnRowVerbatim()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        string[] shapes = ["12345", "beef", "b", "a+b", "0+u1", "u1", Guid.NewGuid().ToString(), Guid.NewGuid().ToString("N"), "ünïcødé 用户", "quote'\"s", "a/b"];
        // Same-shaped ids per run: the hex-looking ones stay hex-looking with a hex suffix.
        var users = shapes.Select(shape => shape + suffix).ToArray();
        foreach (var user in users)
        {
            await cluster.Grain(user).ProcessMessageAsync(new IncomingMessage($"text of {user}"), VersionCondition.None);
        }

        foreach (var user in users)
        {
            var stored = await cluster.Grain(user).GetAsync();
            Assert.Equal(user, stored!.State.ThreadId);
            Assert.Equal($"text of {user}", stored.State.UserMessage!.Text);
            Assert.Equal($"text of {user}", await Sql.ScalarAsync(cluster.Backend.Target, "SELECT state -> 'user_message' ->> 'text' FROM states WHERE user_id = @u", ("u", user)));
        }
    }

    [Fact]
    public async Task EveryWriteLeavesOneSnapshotTrimmedToTheHistoryLimit()
    {
        var user = NewUser();
        var grain = cluster.Grain(user);
        const int turns = StateCluster.HistoryLimit + 3;
        for (var i = 1; i <= turns; i++)
        {
            await grain.ProcessMessageAsync(new IncomingMessage($"turn {i}"), VersionCondition.None);
        }

        var versions = await Sql.CountAsync(cluster.Backend.Target, "SELECT COUNT(*) FROM state_history WHERE user_id = @u", ("u", user));
        Assert.Equal(StateCluster.HistoryLimit, versions);

        var page = await grain.GetHistoryAsync(limit: 50);
        Assert.Equal(Enumerable.Range(turns - StateCluster.HistoryLimit + 1, StateCluster.HistoryLimit).Reverse(), page.Items.Select(item => item.Version));
        Assert.All(page.Items, item => Assert.Equal($"turn {item.Version}", item.State.UserMessage!.Text));
        Assert.Null(page.NextBefore);
    }

    [Fact]
    public async Task HistoryPagesFollowNextBefore()
    {
        var user = NewUser();
        var grain = cluster.Grain(user);
        for (var i = 1; i <= 4; i++)
        {
            await grain.ProcessMessageAsync(new IncomingMessage($"turn {i}"), VersionCondition.None);
        }

        var first = await grain.GetHistoryAsync(limit: 3);
        Assert.Equal([4, 3, 2], first.Items.Select(item => item.Version));
        Assert.Equal(2, first.NextBefore);
        var second = await grain.GetHistoryAsync(limit: 3, before: first.NextBefore);
        Assert.Equal([1], second.Items.Select(item => item.Version));
        Assert.Null(second.NextBefore);
    }

    [Fact]
    public async Task DeleteKeepsATombstoneAndForgetsTheHistory()
    {
        var user = NewUser();
        var grain = cluster.Grain(user);
        await grain.ProcessMessageAsync(Hello, VersionCondition.None);
        await grain.ProcessMessageAsync(Hello, VersionCondition.None);

        await grain.DeleteAsync(VersionCondition.None);

        Assert.Null(await grain.GetAsync());
        Assert.Null(await Sql.ScalarAsync(cluster.Backend.Target, "SELECT state FROM states WHERE user_id = @u", ("u", user)));
        Assert.Equal(3L, Convert.ToInt64(await Sql.ScalarAsync(cluster.Backend.Target, "SELECT version FROM states WHERE user_id = @u", ("u", user))));
        Assert.Equal(0, await Sql.CountAsync(cluster.Backend.Target, "SELECT COUNT(*) FROM state_history WHERE user_id = @u", ("u", user)));

        var recreated = await grain.ProcessMessageAsync(Hello, VersionCondition.None);
        Assert.Equal(WriteStatus.Created, recreated.Status);
        Assert.Equal(4, recreated.Current!.Version);
    }

    [Fact]
    public async Task AStaleWriterIsRejectedAndTheGrainRecoversFromStorage()
    {
        var user = NewUser();
        var grain = cluster.Grain(user);
        await grain.ProcessMessageAsync(Hello, VersionCondition.None);

        // Another writer moved the row on behind this activation's back.
        await Sql.ExecuteAsync(cluster.Backend.Target, "UPDATE states SET version = version + 10 WHERE user_id = @u", ("u", user));

        await Assert.ThrowsAsync<InconsistentStateException>(() => grain.ProcessMessageAsync(new IncomingMessage("lost"), VersionCondition.None));
        Assert.Equal(1, await Sql.CountAsync(cluster.Backend.Target, "SELECT COUNT(*) FROM state_history WHERE user_id = @u", ("u", user)));

        var retried = await grain.ProcessMessageAsync(new IncomingMessage("kept"), VersionCondition.None);
        Assert.Equal(12, retried.Current!.Version);
        Assert.Equal("kept", retried.Current.State.UserMessage!.Text);
    }

    [Fact]
    public async Task EveryFieldRoundTripsThroughStorageAndASiloRestart()
    {
        var user = NewUser();
        var json = JsonNode.Parse("""
            {
              "thread_id": "USER",
              "user_message": {"thread_id": "USER", "text": "book a flight", "channel": "web", "context": {"tz": "UTC"}},
              "bot_message": [{"text": "Where to?", "buttons": [1, 2.5, null, true]}],
              "nlu": {"intent": {"name": "book_flight", "confidence": 0.97}, "entities": []},
              "context": {"user": {"name": "Zoë"}, "n": 12345678901234},
              "intent": {"id": "book_flight", "parameters": [{"name": "to"}]},
              "parameters": [{"name": "to", "required": true}],
              "extracted_parameters": {"to": "Paris"},
              "missing_parameters": ["date"],
              "complete": false,
              "current_node": "ask_date",
              "date": "2024-05-01T12:30:00.123456+00:00"
            }
            """.Replace("USER", user))!;
        var state = StateJson.FromJson(json, user, DateTimeOffset.UtcNow);
        await cluster.Grain(user).ReplaceAsync(state, VersionCondition.Absent);

        await cluster.RestartSiloAsync();

        var stored = await cluster.Grain(user).GetAsync();
        Assert.True(JsonNode.DeepEquals(json, StateJson.ToJson(stored!.State)), StateJson.ToJson(stored.State).ToJsonString());
    }

    [Fact]
    public async Task TheStoredFormIsTheAcknowledgedFormByteForByte()
    {
        var user = NewUser();
        // Spellings a normalising store changes: exponents, negative zero, trailing zeros, big integers,
        // unsorted and differently cased keys, escapes and characters outside the BMP.
        var json = JsonNode.Parse("""
            {
              "thread_id": "USER",
              "nlu": {"z": 1E+2, "a": -0, "m": 1.50, "big": 123456789012345678901234567890, "tiny": 1e-7, "neg": -0.0},
              "context": {"zeta": "Zoë 用户 😀 \u00e9", "alpha": [3, 2.0, 1E2], "Beta": {"y": true, "x": null, "B": 0.10}},
              "extracted_parameters": {"b": 1, "a": 2, "c": {"z": [], "y": {}}},
              "current_node": "n"
            }
            """.Replace("USER", user))!;
        var written = await cluster.Grain(user).ReplaceAsync(StateJson.FromJson(json, user, DateTimeOffset.UtcNow), VersionCondition.Absent);
        var acknowledged = StateJson.ToJson(written.Current!.State).ToJsonString();
        Assert.Contains("\"z\":1E+2,\"a\":-0,\"m\":1.50", acknowledged, StringComparison.Ordinal);

        await cluster.RestartSiloAsync();

        var reloaded = await cluster.Grain(user).GetAsync();
        Assert.Equal(acknowledged, StateJson.ToJson(reloaded!.State).ToJsonString());
        Assert.Equal(written.Current.Version, reloaded.Version);
        var snapshot = (await cluster.Grain(user).GetHistoryAsync(limit: 1)).Items.Single();
        Assert.Equal(acknowledged, StateJson.ToJson(snapshot.State).ToJsonString());
    }

    [Fact]
    public async Task AnIdempotencyReceiptSurvivesASiloRestart()
    {
        var user = NewUser();
        var first = await cluster.Grain(user).ProcessMessageAsync(Hello, VersionCondition.None, "key-1");

        await cluster.RestartSiloAsync();

        var retried = await cluster.Grain(user).ProcessMessageAsync(Hello, VersionCondition.None, "key-1");
        Assert.True(retried.Replayed);
        Assert.Equal(first.Current!.Version, retried.Current!.Version);
        Assert.Equal(1, await Sql.CountAsync(cluster.Backend.Target, "SELECT COUNT(*) FROM state_history WHERE user_id = @u", ("u", user)));
    }

    [Fact]
    public async Task ImportedStatesKeepTheirOwnDatesAndAreNotAppliedTwice()
    {
        var user = NewUser();
        var grain = cluster.Grain(user);
        var older = ConversationState.New(user, new DateTimeOffset(2023, 1, 1, 9, 0, 0, TimeSpan.Zero));
        var newer = older with { Date = older.Date.AddMinutes(5), CurrentNode = "greeted" };

        Assert.True(await grain.ImportAsync(older));
        Assert.True(await grain.ImportAsync(newer));
        Assert.False(await grain.ImportAsync(newer));
        Assert.False(await grain.ImportAsync(older));

        var page = await grain.GetHistoryAsync(limit: 10);
        Assert.Equal([newer.Date, older.Date], page.Items.Select(item => item.SavedAt));
        Assert.Equal("greeted", (await grain.GetAsync())!.State.CurrentNode);
    }

    [Fact]
    public async Task MigratingAgainChangesNothing()
    {
        Assert.Equal(0, await StateCluster.Migrate(cluster.Backend.Target));
        Assert.Equal(3, await Sql.CountAsync(cluster.Backend.Target, "SELECT COUNT(*) FROM OrleansQuery WHERE QueryKey IN ('ReadFromStorageKey', 'WriteToStorageKey', 'ClearStorageKey')"));
    }
}

[Collection(SqliteCluster.Name)]
public sealed class SqliteStorageTests(SqliteClusterFixture fixture) : StorageSemantics(fixture.Cluster);

[Collection(PostgreSqlCluster.Name)]
public sealed class PostgreSqlStorageTests(PostgreSqlClusterFixture fixture) : StorageSemantics(fixture.Cluster);
