using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace BotStateCluster.EndToEndTests;

/// <summary>
/// A silo and a gateway on a PostgreSQL of the test's own, which is stopped, frozen (SIGSTOP) and restarted
/// under a steady load of turns. Every answer is a 200 or a 503 with <c>Retry-After</c> within 2 s, and after
/// recovery every acknowledged turn is stored exactly once.
/// </summary>
public sealed class StorageOutageTests(ITestOutputHelper output)
{
    private const int Workers = 6;
    private const int UsersPerWorker = 3;
    private static readonly TimeSpan ContractAnswer = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan RecoveryTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan OutageNoticeTimeout = TimeSpan.FromSeconds(30);

    private readonly ConcurrentBag<Attempt> _attempts = [];
    private readonly ConcurrentDictionary<string, int> _acknowledged = new();
    private volatile string _phase = "healthy";

    [Fact]
    public async Task StoppedFrozenAndRestartedPostgreSqlAnswers503FastAndLosesNoAcknowledgedTurn()
    {
        await using var cluster = await OwnPostgresCluster.StartAsync("outage", silos: 1);
        var postgres = cluster.Postgres;
        var api = cluster.Api;

        using var stop = new CancellationTokenSource();
        // Two workers share each set of users, so turns of one user also queue behind each other in its grain; both
        // send the same turn with the same key, so whichever is second gets the first one's answer.
        var users = Enumerable.Range(0, Workers / 2)
            .Select(set => Enumerable.Range(0, UsersPerWorker).Select(i => ApiClient.NewUserId($"outage-{set}-{i}")).ToArray())
            .ToArray();
        var load = Task.WhenAll(Enumerable.Range(0, Workers).Select(worker => Task.Run(() => WorkAsync(api, users[worker % users.Length], stop.Token))));

        await AcknowledgedMoreAsync(Workers * 2);

        _phase = "stopped";
        await postgres.HaltAsync();
        await UnavailableAsync(Workers);
        await postgres.ResumeAsync();
        _phase = "after stop";
        await AcknowledgedMoreAsync(Workers * 2);

        _phase = "frozen";
        await postgres.FreezeAsync();
        await UnavailableAsync(Workers * 2);
        await postgres.ThawAsync();
        _phase = "after freeze";
        await AcknowledgedMoreAsync(Workers * 2);

        _phase = "restarted";
        await postgres.HaltAsync();
        await postgres.ResumeAsync();
        _phase = "after restart";
        await AcknowledgedMoreAsync(Workers * 2);

        await stop.CancelAsync();
        await load;

        var attempts = _attempts.ToList();
        output.WriteLine(string.Join(Environment.NewLine, attempts.GroupBy(attempt => (attempt.Phase, attempt.Status)).OrderBy(group => group.Key.Phase)
            .Select(group => $"{group.Key.Phase}: {(int)group.Key.Status} x{group.Count()}, slowest {group.Max(attempt => attempt.Took).TotalSeconds:0.00} s")));

        var unavailable = attempts.Where(attempt => attempt.Status == HttpStatusCode.ServiceUnavailable).ToList();

        // One line per distinct failure and interval, not a stack trace per failed request.
        foreach (var process in cluster.Processes)
        {
            var lines = process.Output.Split(Environment.NewLine);
            var warnings = lines.Count(line => line.Contains("warn:", StringComparison.Ordinal) || line.Contains("fail:", StringComparison.Ordinal));
            var stackFrames = lines.Count(line => line.TrimStart().StartsWith("at ", StringComparison.Ordinal));
            output.WriteLine($"{process.Kind}: {warnings} warning or error lines, {stackFrames} stack frame lines");
            Assert.True(warnings < unavailable.Count, $"{process.Kind} logged {warnings} warnings for {unavailable.Count} 503s:{Environment.NewLine}{process.Describe(60)}");
        }

        var unexpected = attempts.Where(attempt => attempt.Status is not (HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable)).ToList();
        Assert.True(unexpected.Count == 0, $"answers other than 200 or 503: {string.Join("; ", unexpected.Take(5))}{Environment.NewLine}{cluster.Describe()}");
        Assert.NotEmpty(unavailable);
        Assert.All(unavailable, attempt => Assert.True(attempt.RetryAfter, $"503 without Retry-After: {attempt}"));
        Assert.Contains(unavailable, attempt => attempt.Body.Contains("The database is unavailable", StringComparison.Ordinal));
        var slow = unavailable.Where(attempt => attempt.Took >= ContractAnswer).ToList();
        Assert.True(slow.Count == 0, $"{slow.Count} of {unavailable.Count} 503s took 2 s or more: {string.Join("; ", slow.Take(5))}");

        // After recovery every acknowledged turn is there, each once: the version counts the turns.
        foreach (var user in users.SelectMany(workerUsers => workerUsers))
        {
            var turns = _acknowledged.GetValueOrDefault(user);
            if (turns == 0)
            {
                continue;
            }

            var state = (await api.GetStateAsync(user)).ShouldBe(HttpStatusCode.OK);
            Assert.Equal(turns, state.Version);
            var context = state.Json["context"]!.AsObject();
            Assert.All(Enumerable.Range(1, turns), turn => Assert.True(context.ContainsKey($"t{turn}"), $"{user} lost turn {turn}: {state.Body}"));
        }

        Task AcknowledgedMoreAsync(int more)
        {
            var target = _acknowledged.Values.Sum() + more;
            return Poll.UntilAsync($"{more} more acknowledged turns ({_phase})", RecoveryTimeout,
                () => Task.FromResult(_acknowledged.Values.Sum() >= target), cluster.Describe);
        }

        Task UnavailableAsync(int count)
        {
            var phase = _phase;
            return Poll.UntilAsync($"{count} answers 503 while PostgreSQL is {phase}", OutageNoticeTimeout,
                () => Task.FromResult(_attempts.Count(attempt => attempt.Phase == phase && attempt.Status == HttpStatusCode.ServiceUnavailable) >= count), cluster.Describe);
        }
    }

    // Turns round the worker's users, each retried with its key until acknowledged, as the contract asks of a
    // client; a turn under way when the test stops is still finished, so that nothing unacknowledged remains.
    private async Task WorkAsync(ApiClient api, string[] users, CancellationToken stop)
    {
        for (var round = 0; !stop.IsCancellationRequested; round++)
        {
            var user = users[round % users.Length];
            var turn = _acknowledged.GetValueOrDefault(user) + 1;
            var deadline = Stopwatch.StartNew();
            // Once the other worker on these users has this turn acknowledged (same key, same message), it is done:
            // retried later still, it could outlast the 16 keys a conversation remembers and be applied again.
            while (_acknowledged.GetValueOrDefault(user) < turn)
            {
                var clock = Stopwatch.StartNew();
                var response = await api.PostMessageAsync(user, $"t{turn}", new JsonObject { [$"t{turn}"] = true }, ("Idempotency-Key", $"{user}-t{turn}"));
                _attempts.Add(new Attempt(_phase, response.Status, clock.Elapsed, response.Header("Retry-After") is not null, response.Body));
                if (response.Status == HttpStatusCode.OK)
                {
                    Assert.Equal(turn, response.Version);
                    _acknowledged.AddOrUpdate(user, turn, (_, known) => Math.Max(known, turn));
                    break;
                }

                if (response.Status != HttpStatusCode.ServiceUnavailable || deadline.Elapsed > RecoveryTimeout)
                {
                    return;
                }

                await Task.Delay(Poll.PollInterval, CancellationToken.None);
            }
        }
    }

    private sealed record Attempt(string Phase, HttpStatusCode Status, TimeSpan Took, bool RetryAfter, string Body)
    {
        public override string ToString() => $"{Phase}: {(int)Status} in {Took.TotalSeconds:0.00} s {Body[..Math.Min(Body.Length, 200)]}";
    }
}
