using System.Data.Common;
using Orleans.Runtime.Messaging;
using Orleans.Serialization;
using Orleans.Storage;

namespace BotStateCluster.Api;

/// <summary>
/// Tells a failing dependency (cluster unreachable, grain call timed out, database error) from a bug.
/// Exceptions from a silo may arrive as Orleans' fallback type, so types are also matched by name.
/// </summary>
internal static class ServiceUnavailable
{
    /// <summary>What clients are told to wait before retrying.</summary>
    public const int RetryAfterSeconds = 1;

    private static readonly string[] DependencyNamespaces = ["Npgsql", "Microsoft.Data.Sqlite", "System.Data"];

    /// <summary>Seconds to put in <c>Retry-After</c>: the silo's hint for a storage failure, else the default.</summary>
    public static int RetryAfter(Exception exception) => Find<StorageUnavailableException>(exception)?.RetryAfterSeconds ?? RetryAfterSeconds;

    /// <summary>What a client is told: which dependency failed (the database is not blamed on the cluster), and that nothing was stored.</summary>
    public static string Detail(Exception exception) => Find<StorageUnavailableException>(exception) is { } storage
        ? $"The database is unavailable ({storage.Kind.ToString().ToLowerInvariant()}); nothing was acknowledged. Retry shortly."
        : "The cluster or its database did not complete the request; nothing was acknowledged. Retry shortly.";

    /// <summary>A short name of the failure for the log: the storage failure kind, else the exception type.</summary>
    public static string Describe(Exception exception) => Find<StorageUnavailableException>(exception) is { } storage
        ? $"storage {storage.Kind}: {storage.Message}"
        : $"{exception.GetType().Name}: {exception.Message}";

    private static T? Find<T>(Exception exception) where T : Exception => exception switch
    {
        T found => found,
        AggregateException aggregate => aggregate.InnerExceptions.Select(Find<T>).FirstOrDefault(found => found is not null),
        { InnerException: { } inner } => Find<T>(inner),
        _ => null,
    };

    /// <summary>
    /// The call never reached a live activation (its silo is gone or unreachable): trying again at once
    /// reaches a new activation. Timeouts are not in this set: the call may still run, and a second wait
    /// would make the 503 slow.
    /// </summary>
    public static bool IsSiloLost(Exception exception) => exception switch
    {
        SiloUnavailableException or OrleansMessageRejectionException or ClientNotAvailableException or ConnectionFailedException => true,
        { InnerException: { } inner } => IsSiloLost(inner),
        _ => false,
    };

    public static bool IsCause(Exception exception) => exception switch
    {
        StorageUnavailableException => true,
        TimeoutException or OperationCanceledException => true,
        SiloUnavailableException or OrleansMessageRejectionException or ClientNotAvailableException or GatewayTooBusyException => true,
        ConnectionFailedException => true,
        InconsistentStateException or DbException => true,
        UnavailableExceptionFallbackException fallback => DependencyNamespaces.Any(prefix => fallback.ExceptionType?.StartsWith(prefix, StringComparison.Ordinal) == true),
        AggregateException aggregate => aggregate.InnerExceptions.Any(IsCause),
        { InnerException: { } inner } => IsCause(inner),
        _ => false,
    };
}
