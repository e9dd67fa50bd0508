namespace BotStateCluster;

/// <summary>What kind of storage failure stopped a call; all are worth retrying shortly.</summary>
[GenerateSerializer, Alias("BotState.StorageFailureKind")]
public enum StorageFailureKind
{
    /// <summary>The database could not be reached (stopped, restarting, network).</summary>
    Unreachable,

    /// <summary>The database did not answer in time (frozen, overloaded, locked).</summary>
    Timeout,

    /// <summary>The database refused the service (password, permissions, missing database).</summary>
    Refused,

    /// <summary>The SQLite file is locked by another writer.</summary>
    Locked,

    /// <summary>Any other failure of the driver or the database.</summary>
    Failed,
}

/// <summary>
/// The state's storage could not complete an operation, so nothing was acknowledged. Thrown by the silo in
/// place of the driver's own exceptions, which cannot cross to a client; a gateway answers it with 503 and
/// <c>Retry-After</c>. The message is safe to show: it never holds a password or a query.
/// </summary>
[GenerateSerializer, Alias("BotState.StorageUnavailableException")]
public sealed class StorageUnavailableException : Exception
{
    public StorageUnavailableException()
    {
    }

    public StorageUnavailableException(StorageFailureKind kind, string message, int retryAfterSeconds)
        : base(message)
    {
        Kind = kind;
        RetryAfterSeconds = retryAfterSeconds;
    }

    /// <summary>What failed.</summary>
    [Id(0)]
    public StorageFailureKind Kind { get; private set; }

    /// <summary>How long a client should wait before trying again.</summary>
    [Id(1)]
    public int RetryAfterSeconds { get; private set; } = 1;
}
