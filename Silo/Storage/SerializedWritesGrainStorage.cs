using System.Collections.Concurrent;
using Orleans.Storage;

namespace BotStateCluster.Silo.Storage;

/// <summary>
/// Lets one writer at a time reach an SQLite file from this silo, on a thread of its own, and commits the writes
/// that queued up meanwhile together. SQLite takes a single writer anyway; when many grains write at once, all but
/// one get SQLITE_BUSY and the driver retries them after a fixed sleep, which turned 32 concurrent turns into a p99
/// of more than half a second. Queued here instead, the writes run back to back on one connection, and each
/// transaction takes every write that is waiting (up to <see cref="MaxWritesPerCommit"/>): a commit, with its
/// fsync, is most of what a write costs, and under load it is now shared.
/// Reads pass straight through (WAL lets them run beside a writer). Every write's task completes only after the
/// transaction that holds it has committed; a write that fails takes nobody else down with it (the others are
/// committed one by one).
/// </summary>
internal sealed class SerializedWritesGrainStorage : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    /// <summary>The most writes one transaction takes: enough for every connection of a busy gateway, short enough to keep a commit quick.</summary>
    public const int MaxWritesPerCommit = 64;

    private readonly IGrainStorage _inner;
    private readonly string _connectionString;
    private readonly BlockingCollection<QueuedWrite> _queue = new();
    private SqliteWriterConnection _connection;

    /// <param name="inner">The stock provider, whose connections come from a <see cref="SqliteDataSource"/>.</param>
    /// <param name="connectionString">The SQLite file's connection string, for the writer's own connection.</param>
    public SerializedWritesGrainStorage(IGrainStorage inner, string connectionString)
    {
        _inner = inner;
        _connectionString = connectionString;
        _connection = new SqliteWriterConnection(connectionString);
        new Thread(WriteInTurn) { IsBackground = true, Name = "SQLite writer" }.Start();
    }

    public void Participate(ISiloLifecycle lifecycle) => (_inner as ILifecycleParticipant<ISiloLifecycle>)?.Participate(lifecycle);

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        _inner.ReadStateAsync(stateName, grainId, grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        Enqueue(grainState, () => _inner.WriteStateAsync(stateName, grainId, grainState));

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        Enqueue(grainState, () => _inner.ClearStateAsync(stateName, grainId, grainState));

    public void Dispose() => _queue.CompleteAdding();

    private Task Enqueue<T>(IGrainState<T> grainState, Func<Task> write)
    {
        // A write rolled back with its transaction runs again on its own, from the grain state it started from.
        var (etag, recordExists, state) = (grainState.ETag, grainState.RecordExists, grainState.State);
        var queued = new QueuedWrite(write, () => (grainState.ETag, grainState.RecordExists, grainState.State) = (etag, recordExists, state), ExecutionContext.Capture());
        try
        {
            _queue.Add(queued);
        }
        catch (InvalidOperationException)
        {
            throw new ObjectDisposedException(nameof(SerializedWritesGrainStorage), "The silo is shutting down; SQLite takes no more writes.");
        }

        return queued.Done.Task;
    }

    private void WriteInTurn()
    {
        _connection.ClaimForThisThread();
        var batch = new List<QueuedWrite>(MaxWritesPerCommit);
        foreach (var first in _queue.GetConsumingEnumerable())
        {
            batch.Add(first);
            while (batch.Count < MaxWritesPerCommit && _queue.TryTake(out var next))
            {
                batch.Add(next);
            }

            if (batch.Count == 1 || !TryCommitTogether(batch))
            {
                foreach (var write in batch)
                {
                    CommitAlone(write);
                }
            }

            batch.Clear();
        }

        _connection.Release(discard: false);
    }

    private void CommitAlone(QueuedWrite write)
    {
        write.Run();
        if (write.FailedUnexpectedly)
        {
            RenewConnection();
        }

        write.Complete();
    }

    // One transaction for all of them; false (and nothing committed, every grain state as it was) if any part failed.
    private bool TryCommitTogether(List<QueuedWrite> batch)
    {
        try
        {
            _connection.EnsureOpen().Execute("BEGIN IMMEDIATE");
        }
        catch (Exception)
        {
            // Alone, each write reports the failure to its own caller.
            RenewConnection();
            return false;
        }

        foreach (var write in batch)
        {
            write.Run();
            if (write.FailedUnexpectedly)
            {
                RollBack(batch);
                return false;
            }
        }

        try
        {
            _connection.Execute("COMMIT");
        }
        catch (Exception)
        {
            RollBack(batch);
            return false;
        }

        foreach (var write in batch)
        {
            write.Complete();
        }

        return true;
    }

    private void RollBack(List<QueuedWrite> batch)
    {
        try
        {
            _connection.Execute("ROLLBACK");
        }
        catch (Exception)
        {
            RenewConnection();
        }

        foreach (var write in batch)
        {
            write.Restore();
        }
    }

    // After a failure the connection may be in any state (even inside a transaction): it is not used, nor pooled, again.
    private void RenewConnection()
    {
        _connection.Release(discard: true);
        _connection = new SqliteWriterConnection(_connectionString);
        _connection.ClaimForThisThread();
    }

    // The caller's execution context goes along, so the write's trace and log scopes are the caller's.
    private sealed class QueuedWrite(Func<Task> write, Action restore, ExecutionContext? context)
    {
        private readonly Func<Task> _write = write;
        private Exception? _failure;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Failed for another reason than a version conflict, which changes nothing and belongs to its caller alone.</summary>
        public bool FailedUnexpectedly => _failure is not null and not InconsistentStateException;

        // Microsoft.Data.Sqlite completes its "async" calls synchronously, on this thread, so the provider gets
        // this thread's writer connection and this rarely blocks on anything but SQLite.
        public void Run()
        {
            _failure = null;
            try
            {
                if (context is null)
                {
                    Execute(this);
                }
                else
                {
                    ExecutionContext.Run(context, Execute, this);
                }
            }
            catch (Exception exception)
            {
                _failure = exception;
            }
        }

        public void Restore()
        {
            _failure = null;
            restore();
        }

        /// <summary>Hands the outcome to the caller; only once the write is committed (or known to have failed).</summary>
        public void Complete()
        {
            if (_failure is null)
            {
                Done.TrySetResult();
            }
            else
            {
                Done.TrySetException(_failure);
            }
        }

        private static void Execute(object? state) => ((QueuedWrite)state!)._write().GetAwaiter().GetResult();
    }
}
