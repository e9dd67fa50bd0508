using Npgsql;

namespace BotStateCluster.Tests;

/// <summary>How the tests create and drop the PostgreSQL databases they run on, whatever connected to them since.</summary>
public static class TestDatabases
{
    /// <param name="admin">An open connection to another database of the same server, as the test's role.</param>
    public static async Task CreateAsync(NpgsqlConnection admin, string database)
    {
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", admin);
        await create.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Ends the sessions the test's role still has in <paramref name="database"/>, then drops it. Not <c>DROP DATABASE
    /// … WITH (FORCE)</c>: that also signals an autovacuum worker busy in the young database, which takes superuser or
    /// <c>pg_signal_backend</c>, so now and then it failed the test. A plain drop stops autovacuum itself and waits a
    /// few seconds for the ended sessions to go.
    /// </summary>
    /// <param name="admin">An open connection to another database of the same server, as the test's role.</param>
    public static async Task DropAsync(NpgsqlConnection admin, string database)
    {
        await using (var end = new NpgsqlCommand(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = @database AND usename = current_user AND pid <> pg_backend_pid()",
            admin))
        {
            end.Parameters.AddWithValue("database", database);
            await end.ExecuteScalarAsync();
        }

        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\"", admin);
        await drop.ExecuteNonQueryAsync();
    }
}
