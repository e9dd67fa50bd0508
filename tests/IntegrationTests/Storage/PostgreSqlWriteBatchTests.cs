using BotStateCluster.IntegrationTests.Support;
using BotStateCluster.Silo.Storage;
using Npgsql;

namespace BotStateCluster.IntegrationTests.Storage;

/// <summary>
/// PostgreSQL state writes that wait at the same moment share one transaction, on a real database. One committer
/// is held up on an advisory lock the test owns, so that the writes queued behind it are known to wait together.
/// </summary>
public sealed class PostgreSqlWriteBatchTests : IAsyncLifetime
{
    private const long LockKey = 4242;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private Backend _backend = null!;
    private NpgsqlDataSource _database = null!;
    private PostgreSqlWriteBatches _batches = null!;
    private NpgsqlConnection _lockHolder = null!;

    public async Task InitializeAsync()
    {
        _backend = await Backend.PostgreSqlAsync();
        _database = NpgsqlDataSource.Create(_backend.Target.ConnectionString);
        await using (var setup = _database.CreateCommand("CREATE TABLE written (n integer PRIMARY KEY)"))
        {
            await setup.ExecuteNonQueryAsync();
        }

        _batches = new PostgreSqlWriteBatches(_database, committers: 1);
        _lockHolder = await _database.OpenConnectionAsync();
        await using var take = new NpgsqlCommand($"SELECT pg_advisory_lock({LockKey})", _lockHolder);
        await take.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task WritesWaitingTogetherCommitInOneTransactionAndAreStoredWhenTheyComplete()
    {
        var blocked = await BlockTheCommitterAsync();
        var writes = Enumerable.Range(1, 10).Select(n => _batches.WriteAsync("INSERT INTO written (n) VALUES (@n) RETURNING n, txid_current()", [new NpgsqlParameter("n", n)])).ToArray();
        await ReleaseTheCommitterAsync();
        await blocked;

        var transactions = new HashSet<long>();
        for (var n = 1; n <= 10; n++)
        {
            using var reader = await writes[n - 1].WaitAsync(Patience);
            Assert.True(reader.Read());
            Assert.Equal(n, reader.GetInt32(0));
            transactions.Add(reader.GetInt64(1));
        }

        Assert.Single(transactions);
        Assert.Equal(10L, await CountAsync("SELECT count(*) FROM written"));
    }

    [Fact]
    public async Task AStatementThatFailsFailsAloneAndTheOthersAreStoredOnce()
    {
        var blocked = await BlockTheCommitterAsync();
        var good = _batches.WriteAsync("INSERT INTO written (n) VALUES (@n) RETURNING n", [new NpgsqlParameter("n", 1)]);
        var failing = _batches.WriteAsync("INSERT INTO written (n) VALUES (1 / @zero) RETURNING n", [new NpgsqlParameter("zero", (object)0)]);
        var conflicting = _batches.WriteAsync("INSERT INTO written (n) VALUES (@n) ON CONFLICT DO NOTHING RETURNING n", [new NpgsqlParameter("n", 1)]);
        var alsoGood = _batches.WriteAsync("INSERT INTO written (n) VALUES (@n) RETURNING n", [new NpgsqlParameter("n", 2)]);
        await ReleaseTheCommitterAsync();
        await blocked;

        using (var reader = await good.WaitAsync(Patience))
        {
            Assert.True(reader.Read());
        }

        var error = await Assert.ThrowsAsync<PostgresException>(() => failing.WaitAsync(Patience));
        Assert.Equal(PostgresErrorCodes.DivisionByZero, error.SqlState);
        using (var reader = await conflicting.WaitAsync(Patience))
        {
            Assert.False(reader.Read());
        }

        using (var reader = await alsoGood.WaitAsync(Patience))
        {
            Assert.True(reader.Read());
        }

        Assert.Equal(2L, await CountAsync("SELECT count(*) FROM written"));
    }

    [Fact]
    public async Task AWriteRunningAloneSucceedsOnlyOnceItsTransactionCommitted()
    {
        // PostgreSQL sends a statement's rows and its completion before the commit of its implicit transaction:
        // a deferred constraint fails at that commit, as a stopped server or a failed WAL flush would.
        await CreateTableCheckedAtCommitHoldingOneAsync();

        var write = _batches.WriteAsync("INSERT INTO deferred (n) VALUES (@n) RETURNING n", [new NpgsqlParameter("n", 1)]);

        var error = await Assert.ThrowsAsync<PostgresException>(() => write.WaitAsync(Patience));
        Assert.Equal(PostgresErrorCodes.UniqueViolation, error.SqlState);
        Assert.Equal(1L, await CountAsync("SELECT count(*) FROM deferred"));
    }

    [Fact]
    public async Task ABatchWhoseCommitFailsKeepsNothingAndEachWriteGetsItsOwnOutcome()
    {
        await CreateTableCheckedAtCommitHoldingOneAsync();
        var blocked = await BlockTheCommitterAsync();
        var good = _batches.WriteAsync("INSERT INTO deferred (n) VALUES (@n) RETURNING n", [new NpgsqlParameter("n", 2)]);
        var violating = _batches.WriteAsync("INSERT INTO deferred (n) VALUES (@n) RETURNING n", [new NpgsqlParameter("n", 1)]);
        await ReleaseTheCommitterAsync();
        await blocked;

        using (var reader = await good.WaitAsync(Patience))
        {
            Assert.True(reader.Read());
            Assert.Equal(2, reader.GetInt32(0));
        }

        var error = await Assert.ThrowsAsync<PostgresException>(() => violating.WaitAsync(Patience));
        Assert.Equal(PostgresErrorCodes.UniqueViolation, error.SqlState);
        Assert.Equal(2L, await CountAsync("SELECT count(*) FROM deferred"));
    }

    public async Task DisposeAsync()
    {
        await _lockHolder.DisposeAsync();
        await _batches.DisposeAsync();
        await _database.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await _backend.DisposeAsync();
    }

    // A table whose uniqueness PostgreSQL checks only when a transaction commits, already holding n = 1.
    private async Task CreateTableCheckedAtCommitHoldingOneAsync()
    {
        await using var setup = _database.CreateCommand("CREATE TABLE deferred (n integer UNIQUE DEFERRABLE INITIALLY DEFERRED); INSERT INTO deferred VALUES (1)");
        await setup.ExecuteNonQueryAsync();
    }

    // The committer's first write waits for the test's advisory lock; returns once PostgreSQL shows it waiting.
    private async Task<Task> BlockTheCommitterAsync()
    {
        var blocked = _batches.WriteAsync($"SELECT pg_advisory_xact_lock({LockKey})", []);
        var deadline = DateTime.UtcNow + Patience;
        while (await CountAsync($"SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = {LockKey} AND NOT granted") == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the committer never waited for the lock");
            await Task.Yield();
        }

        return blocked;
    }

    private async Task ReleaseTheCommitterAsync()
    {
        await using var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({LockKey})", _lockHolder);
        await release.ExecuteNonQueryAsync();
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var command = _database.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
