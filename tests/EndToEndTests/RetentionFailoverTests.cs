using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;
using Xunit.Abstractions;

namespace BotStateCluster.EndToEndTests;

/// <summary>
/// Three silo processes on PostgreSQL sweep one at a time; the sweeping silo is killed mid-sweep and
/// another one takes over and finishes the job.
/// </summary>
public sealed partial class RetentionFailoverTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Silos = 3;
    // Enough expiries (each a grain call and a write) that the sweep is still running when the test looks.
    private const int Idle = 20_000;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(180);

    private readonly List<ServiceProcess> _processes = [];
    private readonly string _directory = Directory.CreateTempSubdirectory("botstate-sweep-").FullName;
    private PostgresDatabase? _database;

    [Fact]
    public async Task KillingTheSweepingSiloMidSweepHandsTheSweepToAnother()
    {
        var clusterId = $"sweep-{Guid.NewGuid():N}";
        var silos = Enumerable.Range(0, Silos).Select(_ => Launch(clusterId)).ToList();
        await Task.WhenAll(silos.Select(silo => silo.WaitUntilReadyAsync()));

        // Conversations idle since 2020 in two tenants (the sweep walks tenant after tenant), written the way the storage writes them.
        await ExecuteAsync($"""
            INSERT INTO states (service_id, tenant, user_id, state, meta, version, updated_at)
            SELECT 'botstate', CASE WHEN i % 2 = 0 THEN 'default' ELSE 'acme' END, 'idle-' || i, jsonb_build_object('thread_id', 'idle-' || i),
                   jsonb_build_object('saved_at', '2020-01-01T00:00:00.000000+00:00', 'history_limit', 100, 'recent_turns', jsonb_build_array()),
                   1, timestamptz '2020-01-01 00:00:00+00'
            FROM generate_series(1, {Idle}) AS i
            """);

        var holder = 0;
        await Poll.UntilAsync("a silo in the middle of a sweep", Deadline, async () =>
        {
            var erased = await ErasedAsync();
            holder = await LockHolderAsync();
            return holder != 0 && erased > 0 && erased < Idle - 2_000;
        }, Describe);
        var killed = silos.Single(silo => silo.Id == holder);
        var erasedAtKill = await ErasedAsync();
        await killed.KillAsync();
        output.WriteLine($"killed silo {killed.Id} after it expired {erasedAtKill} of {Idle}");

        await Poll.UntilAsync("another silo to finish the sweep", Deadline, async () => await ErasedAsync() == Idle, Describe);

        // A surviving silo's sweep line (one a sweep, counts only) shows that it did the rest. The line is written
        // after the sweep's last erase has committed, so it may still be on its way.
        await Poll.UntilAsync("a surviving silo to log its sweep", Deadline,
            () => Task.FromResult(silos.Where(silo => silo != killed).Any(silo => SweepLine().IsMatch(silo.Output))), Describe);
        Assert.Equal(0L, (long)(await ScalarAsync("SELECT COUNT(*) FROM states WHERE user_id LIKE 'idle-%' AND state IS NOT NULL"))!);
        Assert.Equal(0L, (long)(await ScalarAsync("SELECT COUNT(*) FROM states WHERE user_id LIKE 'idle-%' AND version <> 2"))!);
    }

    private async Task<long> ErasedAsync() => (long)(await ScalarAsync("SELECT COUNT(*) FROM states WHERE user_id LIKE 'idle-%' AND state IS NULL"))!;

    // The process id the sweeping connection names itself after, or 0 when no one sweeps right now.
    private async Task<int> LockHolderAsync()
    {
        var name = await ScalarAsync("""
            SELECT a.application_name FROM pg_locks AS l JOIN pg_stat_activity AS a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted AND a.application_name LIKE 'botstate-retention/%'
            LIMIT 1
            """);
        return name is string text ? int.Parse(text["botstate-retention/".Length..], CultureInfo.InvariantCulture) : 0;
    }

    private ServiceProcess Launch(string clusterId)
    {
        var environment = new Dictionary<string, string>
        {
            ["DB_URL"] = _database!.Url,
            ["CLUSTERING"] = "adonet",
            ["ORLEANS_CLUSTER_ID"] = clusterId,
            ["SILO_PORT"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["GATEWAY_PORT"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["ADVERTISED_IP"] = "127.0.0.1",
            ["LOG_FORMAT"] = "text",
            ["STATE_TTL"] = "1h",
            ["RETENTION_SWEEP_INTERVAL"] = "1s",
        };
        var process = ServiceProcess.Start(ServiceKind.Silo, new Uri($"http://127.0.0.1:{FreePort.Next()}"), environment, _directory);
        _processes.Add(process);
        return process;
    }

    private string Describe() => string.Join(Environment.NewLine, _processes.Select(process => process.Describe(30)));

    private async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_database!.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    private async Task ExecuteAsync(string sql) => await ScalarAsync(sql);

    public async Task InitializeAsync() => _database = await PostgresDatabase.CreateAsync();

    public async Task DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }

    [GeneratedRegex(@"Retention sweep: [1-9][0-9]* conversations expired")]
    private static partial Regex SweepLine();
}
