using System.Data.Common;
using System.Diagnostics;
using System.Threading.Channels;
using Npgsql;

namespace BotStateCluster.Silo.Storage;

/// <summary>
/// Commits the state writes that are waiting at the same moment in one PostgreSQL transaction, sent as one batch:
/// under load, one round trip, one commit and one WAL flush serve several grains instead of one each. A write that
/// waits alone runs alone. Every write's result is handed back only after the transaction that holds it committed.
/// If a statement of a batch or its commit fails, nothing of the batch is kept and each write runs again on its own, so
/// that it alone gets its error; if the database cannot be reached, every write of the batch fails.
/// Traced, a batch's SQL command is a span of its first write's trace: a span has one parent.
/// </summary>
internal sealed class PostgreSqlWriteBatches : IAsyncDisposable
{
    /// <summary>The most writes one transaction takes.</summary>
    public const int MaxWritesPerCommit = 64;

    private readonly NpgsqlDataSource _database;
    private readonly Channel<PendingWrite> _pending = Channel.CreateUnbounded<PendingWrite>();
    private readonly Task[] _committers;

    /// <param name="database">Where the writes go.</param>
    /// <param name="committers">How many batches may be in flight at once: enough to keep PostgreSQL's cores busy.</param>
    public PostgreSqlWriteBatches(NpgsqlDataSource database, int committers)
    {
        _database = database;
        _committers = [.. Enumerable.Range(0, committers).Select(_ => Task.Run(CommitInTurnAsync))];
    }

    /// <summary>
    /// Runs the write <paramref name="sql"/> with <paramref name="parameters"/> in the next batch; its rows, once
    /// committed. The parameters now belong to the batch.
    /// </summary>
    public Task<DbDataReader> WriteAsync(string sql, NpgsqlParameter[] parameters)
    {
        var write = new PendingWrite(sql, parameters);
        if (!_pending.Writer.TryWrite(write))
        {
            throw new ObjectDisposedException(nameof(PostgreSqlWriteBatches), "The silo is shutting down; PostgreSQL takes no more writes.");
        }

        return write.Result.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        await Task.WhenAll(_committers);
    }

    private async Task CommitInTurnAsync()
    {
        var batch = new List<PendingWrite>(MaxWritesPerCommit);
        while (await _pending.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxWritesPerCommit && _pending.Reader.TryRead(out var write))
            {
                batch.Add(write);
            }

            if (batch.Count == 1)
            {
                await RunAloneAsync(batch[0]);
            }
            else if (batch.Count > 1)
            {
                await CommitTogetherAsync(batch);
            }

            batch.Clear();
        }
    }

    private async Task CommitTogetherAsync(List<PendingWrite> batch)
    {
        List<BufferedRows> results;
        Activity.Current = batch[0].Caller;
        try
        {
            // Without a transaction of its own a batch is one implicit transaction, which PostgreSQL commits when it
            // reaches the batch's end: one round trip with the commit, whose outcome ReadResultsAsync reads too.
            await using var connection = await _database.OpenConnectionAsync();
            await using var commands = new NpgsqlBatch(connection);
            foreach (var write in batch)
            {
                commands.BatchCommands.Add(write.ToBatchCommand());
            }

            await using var reader = await commands.ExecuteReaderAsync();
            results = await ReadResultsAsync(reader, batch.Count);
        }
        catch (PostgresException)
        {
            // A statement or the commit failed, and took the whole batch with it: each write alone gets its own outcome.
            foreach (var write in batch)
            {
                await RunAloneAsync(write);
            }

            return;
        }
        catch (Exception exception)
        {
            foreach (var write in batch)
            {
                write.Result.TrySetException(exception);
            }

            return;
        }

        for (var i = 0; i < batch.Count; i++)
        {
            batch[i].Result.TrySetResult(results[i]);
        }
    }

    private async Task RunAloneAsync(PendingWrite write)
    {
        Activity.Current = write.Caller;
        try
        {
            await using var connection = await _database.OpenConnectionAsync();
            await using var command = new NpgsqlCommand(write.Sql, connection);
            command.Parameters.AddRange(write.TakeParameters());
            await using var reader = await command.ExecuteReaderAsync();
            write.Result.TrySetResult((await ReadResultsAsync(reader, 1))[0]);
        }
        catch (Exception exception)
        {
            write.Result.TrySetException(exception);
        }
    }

    // The rows of each statement, in memory, read to the end of the reply: the reader they came on is gone by the
    // time the writes get them.
    private static async Task<List<BufferedRows>> ReadResultsAsync(NpgsqlDataReader reader, int statements)
    {
        var results = new List<BufferedRows>(statements);
        for (var i = 0; i < statements; i++)
        {
            if (i > 0 && !await reader.NextResultAsync())
            {
                throw new InvalidOperationException($"A batch of {statements} writes returned {i} results.");
            }

            results.Add(await BufferedRows.ReadAsync(reader));
        }

        // PostgreSQL sends the rows before it commits the implicit transaction they ran in (a write alone, or a whole
        // batch): only the end of the reply says that commit succeeded, and no write is stored before.
        if (await reader.NextResultAsync())
        {
            throw new InvalidOperationException($"A batch of {statements} writes returned more results.");
        }

        return results;
    }

    private sealed class PendingWrite(string sql, NpgsqlParameter[] parameters)
    {
        private bool _parametersTaken;

        public string Sql { get; } = sql;

        /// <summary>The trace the write belongs to.</summary>
        public Activity? Caller { get; } = Activity.Current;

        public TaskCompletionSource<DbDataReader> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public NpgsqlBatchCommand ToBatchCommand()
        {
            var command = new NpgsqlBatchCommand(Sql);
            command.Parameters.AddRange(TakeParameters());
            return command;
        }

        // A parameter belongs to one collection at a time: a write run again after its batch failed gets copies.
        public NpgsqlParameter[] TakeParameters()
        {
            if (_parametersTaken)
            {
                return [.. parameters.Select(parameter => parameter.Clone())];
            }

            _parametersTaken = true;
            return parameters;
        }
    }
}
