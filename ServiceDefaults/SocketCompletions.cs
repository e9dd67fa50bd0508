namespace BotStateCluster.ServiceDefaults;

/// <summary>
/// Has the runtime finish socket operations on the threads that poll the sockets, instead of handing each one to
/// the thread pool.
/// </summary>
/// <remarks>
/// A request through the gateway crosses four sockets (client, gateway to silo and back, and PostgreSQL on a
/// write), and every completion handed to the pool is one more queue and thread wake-up, on machines where the
/// cores are shared with the database. What then runs on a polling thread is the transports' own loops (Kestrel
/// and Orleans still hand requests and messages to the pool) and Npgsql's reads, none of which blocks. With it the
/// runtime also polls with one thread per core instead of one per 30. What it measured is in docs/performance.md
/// (Method). The runtime reads the switch from the environment only, when the first socket is made, so it is set first
/// thing; a value the operator set is kept.
/// </remarks>
public static class SocketCompletions
{
    /// <summary>The runtime's switch: <c>1</c> runs completions inline.</summary>
    public const string Variable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>Switches inline completions on unless <see cref="Variable"/> is set; call before any socket exists.</summary>
    public static void RunInlineUnlessConfigured()
    {
        if (Environment.GetEnvironmentVariable(Variable) is null)
        {
            Environment.SetEnvironmentVariable(Variable, "1");
        }
    }
}
