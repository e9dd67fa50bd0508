using System.Data;
using System.Data.Common;
using BotStateCluster.ServiceDefaults;
using Microsoft.Extensions.Options;
using BotStateCluster.Silo.Storage;
using Npgsql;
using Orleans.Configuration;

namespace BotStateCluster.Silo.Retention;

/// <summary>
/// Lets one silo of the service sweep at a time. On PostgreSQL it is an advisory lock held by a
/// transaction on a connection of its own: when the holder ends, is killed or loses that connection,
/// the database releases it and the next silo to try takes over. SQLite runs one silo per file, so a
/// lock inside the process is enough there; every step of a sweep is guarded besides, so two sweeps
/// at once would only repeat work.
/// </summary>
internal sealed class SweepLock(DatabaseTarget target, IOptions<ClusterOptions> cluster)
{
    /// <summary>The advisory lock's first key, shared by every silo; the second is the service id's hash.</summary>
    public const int AdvisoryLockClass = 0x62737277; // "bsrw"

    /// <summary>What the holding connection calls itself in <c>pg_stat_activity</c>, followed by the process id.</summary>
    public const string ApplicationNamePrefix = "botstate-retention/";

    private readonly SemaphoreSlim _local = new(1, 1);

    /// <summary>Takes the lock if no one holds it; null when another sweep runs.</summary>
    public async Task<Held?> TryAcquireAsync(CancellationToken cancellationToken)
    {
        if (!await _local.WaitAsync(TimeSpan.Zero, cancellationToken))
        {
            return null;
        }

        if (target.Kind == DatabaseKind.Sqlite)
        {
            return new Held(this, null, null);
        }

        DbConnection? connection = null;
        try
        {
            connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(target.ConnectionString)
            {
                ApplicationName = ApplicationNamePrefix + Environment.ProcessId,
                Pooling = false,
            }.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "SELECT pg_try_advisory_xact_lock(@Class, hashtext(@ServiceId))";
            command.With("Class", AdvisoryLockClass, DbType.Int32).With("ServiceId", cluster.Value.ServiceId, DbType.String);
            if (await command.ExecuteScalarAsync(cancellationToken) is true)
            {
                return new Held(this, connection, transaction);
            }

            await connection.DisposeAsync();
            _local.Release();
            return null;
        }
        catch
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }

            _local.Release();
            throw;
        }
    }

    /// <summary>The lock while a sweep runs; disposing it releases the lock.</summary>
    public sealed class Held(SweepLock owner, DbConnection? connection, DbTransaction? transaction) : IAsyncDisposable
    {
        /// <summary>
        /// Throws when the lock may be lost (its connection broke, or the server ended the transaction):
        /// the sweep stops and leaves the rest to whoever holds it next.
        /// </summary>
        public async Task EnsureHeldAsync(CancellationToken cancellationToken)
        {
            if (connection is null)
            {
                return;
            }

            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "SELECT 1";
            await command.ExecuteScalarAsync(cancellationToken);
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                if (connection is not null)
                {
                    // Closing rolls the transaction back, which releases the advisory lock.
                    await connection.DisposeAsync();
                }
            }
            finally
            {
                owner._local.Release();
            }
        }
    }
}
