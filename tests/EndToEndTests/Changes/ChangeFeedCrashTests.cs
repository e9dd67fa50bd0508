using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Npgsql;
using Xunit.Abstractions;

namespace BotStateCluster.EndToEndTests;

/// <summary>
/// The outbox under crashes: a silo and a gateway on a PostgreSQL of the test's own, under a load of turns, while the
/// silo is killed (SIGKILL) and then the database stopped. Afterwards, for every conversation, the events are exactly
/// its stored versions, once each, with the state each version stored: every acknowledged turn has its one event, and a
/// turn that was not acknowledged has one only if it was stored.
/// </summary>
public sealed class ChangeFeedCrashTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Writers = 8;
    private static readonly TimeSpan PhaseTimeout = TimeSpan.FromSeconds(90);

    private readonly List<ServiceProcess> _processes = [];
    private readonly string _directory = Directory.CreateTempSubdirectory("botstate-crash-").FullName;
    private readonly string _clusterId = $"crash-{Guid.NewGuid():N}";
    private readonly ConcurrentBag<(string User, string Text, int Version)> _acknowledged = [];
    private readonly ConcurrentBag<(string User, string Text, HttpStatusCode? Status)> _unacknowledged = [];
    private OwnPostgres? _postgres;

    [Fact]
    public async Task EveryAcknowledgedWriteHasExactlyOneEventAndNoEventLacksItsWrite()
    {
        var postgres = _postgres!;
        var silo = Launch(ServiceKind.Silo);
        await silo.WaitUntilReadyAsync();
        var gateway = Launch(ServiceKind.Gateway);
        await gateway.WaitUntilReadyAsync();
        var api = new ApiClient(gateway.Http, Describe);
        var users = Enumerable.Range(0, Writers).Select(i => ApiClient.NewUserId($"crash-{i}")).ToList();

        using var stop = new CancellationTokenSource();
        var load = Task.WhenAll(users.Select(user => Task.Run(() => WriteAsync(api, user, stop.Token))));
        await AcknowledgedMoreAsync(Writers * 3, "before the kill");

        await silo.KillAsync();
        await Launch(ServiceKind.Silo).WaitUntilReadyAsync();
        await AcknowledgedMoreAsync(Writers * 3, "after the silo was killed");

        await postgres.HaltAsync();
        await Poll.UntilAsync("turns to fail while PostgreSQL is down", PhaseTimeout, () => Task.FromResult(_unacknowledged.Count >= Writers * 2), Describe);
        await postgres.ResumeAsync();
        await AcknowledgedMoreAsync(Writers * 3, "after PostgreSQL came back");

        await stop.CancelAsync();
        await load;
        output.WriteLine($"{_acknowledged.Count} turns acknowledged, {_unacknowledged.Count} not "
            + $"({string.Join(", ", _unacknowledged.GroupBy(turn => turn.Status).Select(group => $"{(group.Key is { } status ? ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture) : "no answer")} x{group.Count()}"))})");

        await using var database = NpgsqlDataSource.Create(BotStateCluster.ServiceDefaults.DatabaseUrl.Parse(postgres.Url, poolSize: 2).ConnectionString);
        foreach (var user in users)
        {
            var events = await RowsAsync(database, "SELECT version, kind, state -> 'user_message' ->> 'text' FROM changes WHERE user_id = $1 ORDER BY version", user);
            var stored = await RowsAsync(database, "SELECT version, 'stored', state -> 'user_message' ->> 'text' FROM state_history WHERE user_id = $1 ORDER BY version", user);
            var current = (int)(await ScalarAsync(database, "SELECT version FROM states WHERE user_id = $1", user))!;

            // Exactly the stored versions, each once, each event with the state its version stored.
            Assert.Equal(Enumerable.Range(1, current), events.Select(row => row.Version));
            Assert.Equal(stored.Select(row => (row.Version, row.Text)), events.Select(row => (row.Version, row.Text)));
            Assert.Equal(["created"], events.Take(1).Select(row => row.Kind));
            Assert.All(events.Skip(1), row => Assert.Equal("updated", row.Kind));
            foreach (var (_, text, version) in _acknowledged.Where(turn => turn.User == user))
            {
                Assert.Contains((version, text), events.Select(row => (row.Version, row.Text)));
            }

            // A turn that was not acknowledged: one event if it was stored, none if not.
            foreach (var (_, text, _) in _unacknowledged.Where(turn => turn.User == user))
            {
                Assert.True(events.Count(row => row.Text == text) <= 1, $"{user}: '{text}' has more than one event");
            }
        }

        // And the API serves the same events, each once.
        var served = await ServedEventsAsync(api);
        foreach (var user in users)
        {
            var versions = served.Where(change => change["thread_id"]!.GetValue<string>() == user).Select(change => change["version"]!.GetValue<int>()).ToList();
            Assert.Equal(Enumerable.Range(1, versions.Count), versions);
        }
    }

    // One writer per user: each attempt a new turn with its own text, never retried, so that a turn cut short by a
    // crash stays unacknowledged and the check can tell whether it was stored.
    private async Task WriteAsync(ApiClient api, string user, CancellationToken stop)
    {
        for (var turn = 1; !stop.IsCancellationRequested; turn++)
        {
            var text = $"{user} turn {turn}";
            try
            {
                var response = await api.PostMessageAsync(user, text);
                if (response.Status == HttpStatusCode.OK)
                {
                    _acknowledged.Add((user, text, response.Version));
                    continue;
                }

                _unacknowledged.Add((user, text, response.Status));
            }
            catch (HttpRequestException)
            {
                _unacknowledged.Add((user, text, null));
            }

            await Task.Delay(Poll.PollInterval, CancellationToken.None);
        }
    }

    private Task AcknowledgedMoreAsync(int more, string phase)
    {
        var target = _acknowledged.Count + more;
        return Poll.UntilAsync($"{more} more acknowledged turns {phase}", PhaseTimeout, () => Task.FromResult(_acknowledged.Count >= target), Describe);
    }

    private static async Task<List<JsonObject>> ServedEventsAsync(ApiClient api)
    {
        var events = new List<JsonObject>();
        string? cursor = null;
        while (true)
        {
            // A connection the database closed while it was down fails once more, as a 503 that a client retries.
            ApiResponse? answer = null;
            await Poll.UntilAsync("the feed to be served", PhaseTimeout, async () =>
            {
                answer = await api.SendAsync(HttpMethod.Get, $"/v1/changes?limit=1000{(cursor is null ? "" : $"&cursor={cursor}")}");
                return answer.Status != HttpStatusCode.ServiceUnavailable;
            });
            var page = answer!.ShouldBe(HttpStatusCode.OK).Json;
            var items = page["items"]!.AsArray();
            events.AddRange(items.Select(item => item!.AsObject()));
            cursor = page["next_cursor"]!.GetValue<string>();
            if (items.Count < 1000)
            {
                return events;
            }
        }
    }

    private static async Task<List<(int Version, string Kind, string? Text)>> RowsAsync(NpgsqlDataSource database, string sql, string user)
    {
        await using var command = database.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = user });
        var rows = new List<(int, string, string?)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetInt32(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
        }

        return rows;
    }

    private static async Task<object?> ScalarAsync(NpgsqlDataSource database, string sql, string user)
    {
        await using var command = database.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = user });
        return await command.ExecuteScalarAsync();
    }

    private ServiceProcess Launch(ServiceKind kind)
    {
        var process = PostgresCluster.Launch(kind, _postgres!.Url, _clusterId, _directory, new Dictionary<string, string> { ["HISTORY_LIMIT"] = "10000" });
        _processes.Add(process);
        return process;
    }

    private string Describe() => string.Join(Environment.NewLine, _processes.Where(process => !process.HasExited).Select(process => process.Describe(30)));

    public async Task InitializeAsync() => _postgres = await OwnPostgres.StartAsync();

    public async Task DisposeAsync()
    {
        foreach (var process in _processes.OrderBy(process => process.Kind == ServiceKind.Silo))
        {
            await process.DisposeAsync();
        }

        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }
}
