using System.Net.Sockets;
using BotStateCluster.ServiceDefaults;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace BotStateCluster.UnitTests;

public sealed class DatabaseFailureTests
{
    [Theory]
    [InlineData("28P01", StorageFailureKind.Refused)]
    [InlineData("3D000", StorageFailureKind.Refused)]
    [InlineData("57P01", StorageFailureKind.Unreachable)]
    [InlineData("57P03", StorageFailureKind.Unreachable)]
    [InlineData("53300", StorageFailureKind.Unreachable)]
    [InlineData("08006", StorageFailureKind.Unreachable)]
    [InlineData("57014", StorageFailureKind.Timeout)]
    [InlineData("40001", StorageFailureKind.Failed)]
    public void ServerErrorsOfAnUnavailableDatabaseAreClassified(string sqlState, StorageFailureKind kind)
    {
        var exception = new PostgresException("message", "FATAL", "FATAL", sqlState);

        Assert.Equal(kind, DatabaseFailure.Classify(exception));
    }

    [Theory]
    [InlineData("22003")] // numeric value out of range: bad data, not an outage
    [InlineData("23505")] // unique violation: a bug
    [InlineData("42P01")] // undefined table: a bug or a missing migration
    public void ServerErrorsOfBadDataOrBugsAreNotDependencyFailures(string sqlState)
    {
        Assert.Null(DatabaseFailure.Classify(new PostgresException("message", "ERROR", "ERROR", sqlState)));
    }

    [Fact]
    public void DriverConnectionFailuresAreUnreachableAndTimeoutsTimeouts()
    {
        Assert.Equal(StorageFailureKind.Unreachable, DatabaseFailure.Classify(new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused))));
        Assert.Equal(StorageFailureKind.Timeout, DatabaseFailure.Classify(new NpgsqlException("Exception while reading", new TimeoutException("Timeout during reading attempt"))));
        Assert.Equal(StorageFailureKind.Timeout, DatabaseFailure.Classify(new TimeoutException()));
    }

    [Theory]
    [InlineData(5, StorageFailureKind.Locked)]
    [InlineData(6, StorageFailureKind.Locked)]
    [InlineData(517, StorageFailureKind.Locked)] // SQLITE_BUSY_SNAPSHOT, an extended code of BUSY
    [InlineData(14, StorageFailureKind.Unreachable)]
    public void SqliteLockAndFileFailuresAreClassified(int code, StorageFailureKind kind)
    {
        Assert.Equal(kind, DatabaseFailure.Classify(new SqliteException("database is locked", code)));
    }

    [Fact]
    public void SqliteConstraintFailuresAndOtherExceptionsAreNot()
    {
        Assert.Null(DatabaseFailure.Classify(new SqliteException("constraint failed", 19)));
        Assert.Null(DatabaseFailure.Classify(new InvalidOperationException("a bug")));
        Assert.Null(DatabaseFailure.Classify(new ArgumentException("bad input")));
    }

    [Fact]
    public void WrappedFailuresAreFound()
    {
        var wrapped = new InvalidOperationException("activation failed", new AggregateException(new PostgresException("m", "FATAL", "FATAL", "57P03")));

        Assert.Equal(StorageFailureKind.Unreachable, DatabaseFailure.Classify(wrapped));
    }

    [Fact]
    public void TranslationCarriesKindRetryHintAndTheDriversReason()
    {
        var translated = DatabaseFailure.Translate(new PostgresException("password authentication failed for user \"botstate\"", "FATAL", "FATAL", "28P01"));

        Assert.NotNull(translated);
        Assert.Equal(StorageFailureKind.Refused, translated.Kind);
        Assert.True(translated.RetryAfterSeconds >= 1);
        Assert.Contains("refused", translated.Message, StringComparison.Ordinal);
        Assert.Contains("28P01", translated.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OnlyAnAbsentOrStartingDatabaseIsWorthWaitingForAtStartUp()
    {
        Assert.True(DatabaseFailure.IsWorthWaitingFor(new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused))));
        Assert.True(DatabaseFailure.IsWorthWaitingFor(new PostgresException("the database system is starting up", "FATAL", "FATAL", "57P03")));
        Assert.False(DatabaseFailure.IsWorthWaitingFor(new PostgresException("password authentication failed", "FATAL", "FATAL", "28P01")));
        Assert.False(DatabaseFailure.IsWorthWaitingFor(new PostgresException("database \"x\" does not exist", "FATAL", "FATAL", "3D000")));
    }
}
