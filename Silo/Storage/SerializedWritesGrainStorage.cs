using System.Collections.Concurrent;
using Orleans.Storage;

namespace BotStateCluster.Silo.Storage;

/// <summary>
/// Lets one write at a time reach an SQLite file from this silo, on a thread of its own. SQLite takes a single
/// writer anyway; when many grains write at once, all but one get SQLITE_BUSY and the driver retries them after a
/// fixed sleep, which turned 32 concurrent turns into a p99 of more than half a second. Queued here instead, the
/// writes run back to back: the writer thread starts the next one as soon as the previous one commits, without
/// handing the file over through the thread pool, where on a busy machine every hand-over waits for a core.
/// Reads pass straight through (WAL lets them run beside a writer), and every write is still committed before
/// its task completes.
/// </summary>
internal sealed class SerializedWritesGrainStorage : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    private readonly IGrainStorage _inner;
    private readonly BlockingCollection<QueuedWrite> _queue = new();

    public SerializedWritesGrainStorage(IGrainStorage inner)
    {
        _inner = inner;
        new Thread(WriteInTurn) { IsBackground = true, Name = "SQLite writer" }.Start();
    }

    public void Participate(ISiloLifecycle lifecycle) => (_inner as ILifecycleParticipant<ISiloLifecycle>)?.Participate(lifecycle);

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        _inner.ReadStateAsync(stateName, grainId, grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        Enqueue(() => _inner.WriteStateAsync(stateName, grainId, grainState));

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        Enqueue(() => _inner.ClearStateAsync(stateName, grainId, grainState));

    public void Dispose() => _queue.CompleteAdding();

    private Task Enqueue(Func<Task> write)
    {
        // The caller's continuation must not run on the writer thread, which would then wait for it.
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            _queue.Add(new QueuedWrite(write, ExecutionContext.Capture(), done));
        }
        catch (InvalidOperationException)
        {
            throw new ObjectDisposedException(nameof(SerializedWritesGrainStorage), "The silo is shutting down; SQLite takes no more writes.");
        }

        return done.Task;
    }

    private void WriteInTurn()
    {
        foreach (var write in _queue.GetConsumingEnumerable())
        {
            write.Run();
        }
    }

    // The caller's execution context goes along, so the write's trace and log scopes are the caller's.
    private sealed record QueuedWrite(Func<Task> Write, ExecutionContext? Context, TaskCompletionSource Done)
    {
        public void Run()
        {
            try
            {
                if (Context is null)
                {
                    Execute();
                }
                else
                {
                    ExecutionContext.Run(Context, static state => ((QueuedWrite)state!).Execute(), this);
                }
            }
            catch (Exception exception)
            {
                Done.TrySetException(exception);
            }
        }

        // Microsoft.Data.Sqlite completes its "async" calls synchronously, so this rarely blocks on anything but SQLite.
        private void Execute()
        {
            Write().GetAwaiter().GetResult();
            Done.TrySetResult();
        }
    }
}
