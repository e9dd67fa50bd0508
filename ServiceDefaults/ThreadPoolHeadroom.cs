namespace BotStateCluster.ServiceDefaults;

/// <summary>
/// Lets the thread pool hand out a thread for every database connection the process may open before it starts to
/// ration them, so that calls blocked in a database driver do not hold up the rest of the process.
/// </summary>
/// <remarks>
/// When a PostgreSQL command times out or is cancelled, Npgsql (10.0) sends the server a cancellation request over a
/// new connection synchronously: a connect, a TLS request and a read, up to the connect timeout, on the thread that
/// runs the timeout. A frozen server accepts the connection and answers nothing, and every connection of the process
/// times out at about the same moment: the storage's, the membership table's, the probes'. The pool's minimum is one
/// thread per core; past it a new thread comes about every half second, and until then every other callback waits,
/// the storage deadline among them: three silos and a gateway on two cores answered their 503s after 3 to 4 s instead
/// of 1.5 s (issue 27). Microsoft.Data.Sqlite blocks a thread the same way for a locked file's busy timeout. With one
/// thread per connection of both pools (the storage's own, and the one the membership table, history, probes and
/// retention share) on top of the cores, each such call can block while the rest goes on; the pool creates the
/// threads only when work is waiting for them.
/// </remarks>
public static class ThreadPoolHeadroom
{
    /// <summary>Connection pools of <c>DB_POOL_SIZE</c> a process opens: the silo's storage has its own.</summary>
    private const int ConnectionPools = 2;

    /// <summary>The minimum of worker threads for connection pools of <paramref name="poolSize"/>.</summary>
    public static int WorkerThreadsFor(int poolSize) => Environment.ProcessorCount + ConnectionPools * poolSize;

    /// <summary>Raises the pool's minimum of worker threads to <see cref="WorkerThreadsFor"/>; a higher minimum is kept.</summary>
    public static void Reserve(int poolSize)
    {
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        var wanted = WorkerThreadsFor(poolSize);
        if (workers < wanted)
        {
            ThreadPool.SetMinThreads(wanted, completionPorts);
        }
    }
}
