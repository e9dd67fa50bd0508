using BotStateCluster.Grains;
using System.Text;
using BotStateCluster.IntegrationTests.Support;
using BotStateCluster.ServiceDefaults;
using BotStateCluster.Silo.Storage;
using Npgsql;

namespace BotStateCluster.IntegrationTests.Changes;

/// <summary>
/// Transactions that commit in another order than they drew their sequence numbers, made to happen on purpose: the
/// write query run in explicit transactions the test holds open. A reader that resumes from its cursor misses none.
/// </summary>
[Collection(PostgreSqlFeedCluster.Name)]
public sealed class PostgreSqlCommitOrderTests : IAsyncLifetime
{
    private const string ServiceId = "commit-order";

    private Backend _backend = null!;
    private NpgsqlDataSource _database = null!;
    private IChangeFeed _feed = null!;

    public async Task InitializeAsync()
    {
        _backend = await Backend.PostgreSqlAsync();
        await StateCluster.Migrate(_backend.Target);
        _database = NpgsqlDataSource.Create(_backend.Target.ConnectionString);
        _feed = ChangeFeeds.Of(_backend.Target, ServiceId);
    }

    [Fact]
    public async Task AnEarlierSequenceNumberCommittingLaterIsNotSkipped()
    {
        await using var older = await BeginAsync();
        await using var younger = await BeginAsync();
        // The older transaction writes first (it gets the lower transaction id), the younger draws the next sequence
        // number, then the older draws a higher one and commits while the younger is still open.
        await WriteAsync(older, "a");
        await WriteAsync(younger, "b");
        await WriteAsync(older, "c");
        await older.Transaction.CommitAsync();

        // Ordered by sequence number, "c" would come after "b": a reader past "c" would never see "b".
        var first = await ReadAsync(ChangeCursor.Start, count: 2);
        Assert.Equal(["a", "c"], first.Select(change => change.ThreadId));

        await younger.Transaction.CommitAsync();
        var second = await ReadAsync(first[^1].Cursor, count: 1);
        Assert.Equal(["b"], second.Select(change => change.ThreadId));
        Assert.True(second[0].Cursor.Sequence < first[1].Cursor.Sequence, "the test did not make the sequence order differ from the commit order");
        Assert.Empty(await _feed.ReadAsync(TenantId.Default, second[^1].Cursor, 100, CancellationToken.None));
    }

    [Fact]
    public async Task ATransactionStillOpenHoldsBackTheEventsOfYoungerOnesAndARolledBackOneLeavesNone()
    {
        await using var open = await BeginAsync();
        await WriteAsync(open, "held-open");
        await using (var younger = await BeginAsync())
        {
            await WriteAsync(younger, "committed");
            await younger.Transaction.CommitAsync();
        }

        Assert.Empty(await _feed.ReadAsync(TenantId.Default, ChangeCursor.Start, 100, CancellationToken.None));

        await open.Transaction.RollbackAsync();
        var events = await ReadAsync(ChangeCursor.Start, count: 1);
        Assert.Equal(["committed"], events.Select(change => change.ThreadId));
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        await _backend.DisposeAsync();
    }

    private async Task<OpenTransaction> BeginAsync()
    {
        var connection = await _database.OpenConnectionAsync();
        return new OpenTransaction(connection, await connection.BeginTransactionAsync());
    }

    // The provider's write of a first version of the user's state, as the grain sends it.
    private static async Task WriteAsync(OpenTransaction open, string user)
    {
        await using var command = new NpgsqlCommand(SqlScripts.ProviderQuery(DatabaseKind.PostgreSql, "WriteToStorageKey"), open.Connection, open.Transaction);
        var payload = $$$"""{"state":{"thread_id":"{{{user}}}"},"meta":{"saved_at":"2024-05-01T12:30:00+00:00","history_limit":5,"recent_turns":[],"change":"created"}}""";
        command.Parameters.Add(new NpgsqlParameter("ServiceId", ServiceId));
        command.Parameters.Add(new NpgsqlParameter("GrainIdExtensionString", new ConversationKey(TenantId.Default, UserId.Parse(user)).GrainKey));
        command.Parameters.Add(new NpgsqlParameter("GrainStateVersion", DBNull.Value) { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Integer });
        command.Parameters.Add(new NpgsqlParameter("PayloadBinary", Encoding.UTF8.GetBytes(payload)));
        Assert.Equal(1, (int?)await command.ExecuteScalarAsync());
    }

    // Transactions of other databases on the same server hold events back too, for as long as they run (milliseconds,
    // for the other tests'): reads until the events are there, and no more than expected come.
    private async Task<IReadOnlyList<ChangeEvent>> ReadAsync(ChangeCursor after, int count)
    {
        IReadOnlyList<ChangeEvent> events = [];
        await Poll.UntilAsync($"{count} events in the feed", TimeSpan.FromSeconds(10), async () =>
        {
            events = await _feed.ReadAsync(TenantId.Default, after, 100, CancellationToken.None);
            return events.Count >= count;
        }, () => $"the feed had {events.Count}: {string.Join(", ", events.Select(change => change.ThreadId))}");
        return events;
    }

    private sealed record OpenTransaction(NpgsqlConnection Connection, NpgsqlTransaction Transaction) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Transaction.DisposeAsync();
            await Connection.DisposeAsync();
        }
    }
}
