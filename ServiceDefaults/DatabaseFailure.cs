using System.Data.Common;
using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace BotStateCluster.ServiceDefaults;

/// <summary>
/// Tells a failing database (down, restarting, frozen, refusing us, locked) from a bug, in one place for
/// the silo's storage, its start-up and the probes. The description never holds a password or a query.
/// </summary>
public static class DatabaseFailure
{
    // SQLite result codes (primary code = low byte of the extended code).
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteIoError = 10;
    private const int SqliteFull = 13;
    private const int SqliteCantOpen = 14;

    /// <summary>
    /// The storage failure <paramref name="exception"/> stands for, as the exception clients receive; null when it is
    /// not a dependency failure (bad data, a bug), which must stay visible as such.
    /// </summary>
    public static StorageUnavailableException? Translate(Exception exception) => Classify(exception) is { } kind
        ? new StorageUnavailableException(kind, Describe(kind, exception), RetryAfterSeconds(kind))
        : null;

    /// <summary>What kind of dependency failure <paramref name="exception"/> is, if it is one.</summary>
    public static StorageFailureKind? Classify(Exception exception) => exception switch
    {
        StorageUnavailableException unavailable => unavailable.Kind,
        TimeoutException => StorageFailureKind.Timeout,
        PostgresException postgres => ClassifyPostgres(postgres.SqlState),
        NpgsqlException { InnerException: TimeoutException } => StorageFailureKind.Timeout,
        // Everything else the driver raises itself is about the connection: refused, reset, closed mid-query.
        NpgsqlException => StorageFailureKind.Unreachable,
        SqliteException sqlite => (sqlite.SqliteErrorCode & 0xFF) switch
        {
            SqliteBusy or SqliteLocked => StorageFailureKind.Locked,
            SqliteIoError or SqliteFull => StorageFailureKind.Failed,
            SqliteCantOpen => StorageFailureKind.Unreachable,
            _ => null,
        },
        SocketException => StorageFailureKind.Unreachable,
        AggregateException aggregate => aggregate.InnerExceptions.Select(Classify).FirstOrDefault(kind => kind is not null),
        DbException { InnerException: null } => null,
        { InnerException: { } inner } => Classify(inner),
        _ => null,
    };

    /// <summary>
    /// Whether waiting can help at start-up: the server is not there yet or still starting. A wrong password or a
    /// missing database is not retried; it needs an operator.
    /// </summary>
    public static bool IsWorthWaitingFor(Exception exception) =>
        Classify(exception) is StorageFailureKind.Unreachable or StorageFailureKind.Timeout or StorageFailureKind.Locked;

    /// <summary>One line for a log or a start-up error: the kind and the driver's reason.</summary>
    public static string Describe(StorageFailureKind kind, Exception exception)
    {
        var reason = Innermost(exception);
        var what = kind switch
        {
            StorageFailureKind.Unreachable => "the database is unreachable",
            StorageFailureKind.Timeout => "the database did not answer in time",
            StorageFailureKind.Refused => "the database refused the connection",
            StorageFailureKind.Locked => "the database file is locked",
            _ => "the database failed",
        };
        return $"{what} ({reason.GetType().Name}: {reason.Message.ReplaceLineEndings(" ")})";
    }

    private static int RetryAfterSeconds(StorageFailureKind kind) => kind switch
    {
        StorageFailureKind.Refused => 10,
        StorageFailureKind.Unreachable or StorageFailureKind.Timeout => 2,
        _ => 1,
    };

    private static StorageFailureKind? ClassifyPostgres(string sqlState) => sqlState switch
    {
        // invalid_password, invalid_authorization_specification, invalid_catalog_name, insufficient_privilege
        "28P01" or "28000" or "3D000" or "42501" => StorageFailureKind.Refused,
        // query_canceled (statement_timeout, our cancellation), lock_not_available
        "57014" or "55P03" => StorageFailureKind.Timeout,
        // serialization_failure, deadlock_detected: the next attempt succeeds
        "40001" or "40P01" => StorageFailureKind.Failed,
        // connection exception, insufficient resources, operator intervention (shutdown, starting up), system error
        _ when sqlState.StartsWith("08", StringComparison.Ordinal) || sqlState.StartsWith("53", StringComparison.Ordinal)
            || sqlState.StartsWith("57", StringComparison.Ordinal) || sqlState.StartsWith("58", StringComparison.Ordinal) => StorageFailureKind.Unreachable,
        _ => null,
    };

    private static Exception Innermost(Exception exception)
    {
        // The driver's outer message ("Exception while reading from stream") says less than its cause, except for
        // a server error, whose own message is the useful one.
        while (exception is not PostgresException && exception.InnerException is { } inner)
        {
            exception = inner;
        }

        return exception;
    }
}
