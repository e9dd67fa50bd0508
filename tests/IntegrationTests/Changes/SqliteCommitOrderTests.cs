using BotStateCluster.Grains;
using System.Text;
using BotStateCluster.IntegrationTests.Support;
using BotStateCluster.ServiceDefaults;
using BotStateCluster.Silo.Storage;
using Microsoft.Data.Sqlite;

namespace BotStateCluster.IntegrationTests.Changes;

/// <summary>
/// On SQLite the sequence is the commit order: a transaction holds the file's one write lock from its first write to its
/// commit, as the silo's writer does with a batch of writes. A reader sees none of a batch before its commit, all of it
/// after, and a batch rolled back leaves no event and no gap a reader could have passed.
/// </summary>
public sealed class SqliteCommitOrderTests : IAsyncLifetime
{
    private const string ServiceId = "commit-order";

    private readonly Backend _backend = Backend.Sqlite();
    private IChangeFeed _feed = null!;

    public async Task InitializeAsync()
    {
        await StateCluster.Migrate(_backend.Target);
        _feed = ChangeFeeds.Of(_backend.Target, ServiceId);
    }

    [Fact]
    public async Task ABatchIsSeenWholeOnceCommittedAndARolledBackOneLeavesNothing()
    {
        await using (var batch = await BeginAsync())
        {
            Write(batch, "rolled-back");
            batch.Transaction.Rollback();
        }

        await using (var batch = await BeginAsync())
        {
            Write(batch, "a");
            Write(batch, "b");
            Assert.Empty(await _feed.ReadAsync(TenantId.Default, ChangeCursor.Start, 100, CancellationToken.None));
            batch.Transaction.Commit();
        }

        var first = await _feed.ReadAsync(TenantId.Default, ChangeCursor.Start, 100, CancellationToken.None);
        Assert.Equal(["a", "b"], first.Select(change => change.ThreadId));

        await using (var batch = await BeginAsync())
        {
            Write(batch, "c");
            batch.Transaction.Commit();
        }

        var next = await _feed.ReadAsync(TenantId.Default, first[^1].Cursor, 100, CancellationToken.None);
        Assert.Equal(["c"], next.Select(change => change.ThreadId));
        Assert.All(first.Concat(next), change => Assert.Equal(0, change.Cursor.Transaction));
        Assert.True(first[0].Cursor.Sequence < first[1].Cursor.Sequence && first[1].Cursor.Sequence < next[0].Cursor.Sequence);
    }

    public async Task DisposeAsync() => await _backend.DisposeAsync();

    private async Task<OpenTransaction> BeginAsync()
    {
        var connection = new SqliteConnection(_backend.Target.ConnectionString);
        await connection.OpenAsync();
        return new OpenTransaction(connection, connection.BeginTransaction(deferred: false));
    }

    // The provider's write of a first version of the user's state, as the grain sends it.
    private static void Write(OpenTransaction open, string user)
    {
        using var command = new SqliteCommand(SqlScripts.ProviderQuery(DatabaseKind.Sqlite, "WriteToStorageKey"), open.Connection, open.Transaction);
        var payload = $$$"""{"state":{"thread_id":"{{{user}}}"},"meta":{"saved_at":"2024-05-01T12:30:00.000000+00:00","history_limit":5,"recent_turns":[],"change":"created"}}""";
        command.Parameters.AddWithValue("@ServiceId", ServiceId);
        command.Parameters.AddWithValue("@GrainIdExtensionString", new ConversationKey(TenantId.Default, UserId.Parse(user)).GrainKey);
        command.Parameters.AddWithValue("@GrainStateVersion", DBNull.Value);
        command.Parameters.AddWithValue("@PayloadBinary", Encoding.UTF8.GetBytes(payload));
        Assert.Equal(1L, (long?)command.ExecuteScalar());
    }

    private sealed record OpenTransaction(SqliteConnection Connection, SqliteTransaction Transaction) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Transaction.DisposeAsync();
            await Connection.DisposeAsync();
        }
    }
}
