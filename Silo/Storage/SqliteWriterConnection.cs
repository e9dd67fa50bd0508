using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace BotStateCluster.Silo.Storage;

/// <summary>
/// The one connection that SQLite writes of a silo go through, owned by its writer thread and kept open
/// between writes: the stock provider opens and disposes a connection per write, which here leaves it open, so
/// that the writer can put several grains' writes into one transaction of its own (see
/// <see cref="SerializedWritesGrainStorage"/>).
/// </summary>
internal sealed class SqliteWriterConnection(string connectionString) : SqliteConnection(connectionString)
{
    [ThreadStatic]
    private static SqliteWriterConnection? t_current;

    private bool _released;
    private KeptCommand? _command;

    /// <summary>The writer connection claimed by this thread, if any: what <see cref="SqliteDataSource"/> hands out here.</summary>
    public static SqliteWriterConnection? OnThisThread => t_current;

    /// <summary>Makes this the connection every write on the calling thread goes through.</summary>
    public void ClaimForThisThread() => t_current = this;

    /// <summary>Opens the connection if it is not open yet; the provider's <c>Open</c> and <c>Dispose</c> leave it as it is.</summary>
    public SqliteWriterConnection EnsureOpen()
    {
        if (State != System.Data.ConnectionState.Open)
        {
            base.Open();
        }

        return this;
    }

    /// <summary>Runs <paramref name="sql"/> on this connection, outside the provider (BEGIN, COMMIT, ROLLBACK).</summary>
    public void Execute(string sql)
    {
        using var command = new SqliteCommand(sql, this);
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// The provider creates, fills, runs and disposes a command per write, one write at a time here: handing it the same
    /// command each time keeps SQLite's prepared statements of the write from one write to the next (preparing them
    /// was about a sixth of the writer thread's time).
    /// </summary>
    public override SqliteCommand CreateCommand()
    {
        var command = _command ??= new KeptCommand(this);
        command.Parameters.Clear();
        return command;
    }

    /// <summary>
    /// Closes the connection for good, when the silo stops, or after a failure (<paramref name="discard"/>): then its
    /// SQLite handle, which may be left inside a transaction, is not returned to the pool either.
    /// </summary>
    public void Release(bool discard)
    {
        _released = true;
        _command?.Dispose();
        if (discard)
        {
            SqliteConnection.ClearPool(this);
        }

        Dispose();
    }

    public override void Open() => EnsureOpen();

    public override Task OpenAsync(CancellationToken cancellationToken)
    {
        EnsureOpen();
        return Task.CompletedTask;
    }

    public override void Close()
    {
        if (_released)
        {
            base.Close();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (_released)
        {
            base.Dispose(disposing);
        }
    }

    private sealed class KeptCommand(SqliteWriterConnection connection) : SqliteCommand(null, connection)
    {
        protected override void Dispose(bool disposing)
        {
            if (connection._released)
            {
                base.Dispose(disposing);
            }
        }
    }
}

/// <summary>
/// Connections for the stock ADO.NET provider on SQLite: a new (pooled) one for reads, the writer thread's own
/// <see cref="SqliteWriterConnection"/> for the writes it runs.
/// </summary>
internal sealed class SqliteDataSource(string connectionString) : DbDataSource
{
    public override string ConnectionString => connectionString;

    protected override DbConnection CreateDbConnection() => new SqliteConnection(connectionString);

    protected override DbConnection OpenDbConnection()
    {
        if (SqliteWriterConnection.OnThisThread is { } writer)
        {
            return writer.EnsureOpen();
        }

        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    protected override ValueTask<DbConnection> OpenDbConnectionAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult(OpenDbConnection());
}
