using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace BotStateCluster.EndToEndTests;

/// <summary>
/// The production shape on one machine: PostgreSQL, three silo processes with ADO.NET clustering and a
/// gateway. A silo is killed under load; afterwards every acknowledged turn is there exactly once.
/// </summary>
public sealed class ScaleOutTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Silos = 3;
    private const int Users = 200;
    private const int Parallelism = 8;
    private static readonly TimeSpan TurnDeadline = TimeSpan.FromSeconds(90);

    private readonly List<ServiceProcess> _processes = [];
    private readonly string _directory = Directory.CreateTempSubdirectory("botstate-scale-").FullName;
    private PostgresDatabase? _database;

    [Fact]
    public async Task KillingASiloLosesNoAcknowledgedTurnAndAppliesNoneTwice()
    {
        var clusterId = $"scale-{Guid.NewGuid():N}";
        var silos = Enumerable.Range(0, Silos).Select(_ => Launch(ServiceKind.Silo, clusterId)).ToList();
        await Task.WhenAll(silos.Select(silo => silo.WaitUntilReadyAsync()));
        var gateway = Launch(ServiceKind.Gateway, clusterId);
        await gateway.WaitUntilReadyAsync();
        var api = new ApiClient(gateway.Http, Describe);
        var users = Enumerable.Range(0, Users).Select(i => ApiClient.NewUserId($"scale-{i}")).ToList();

        var failures = new ConcurrentBag<(TimeSpan At, HttpStatusCode Status)>();
        var acknowledged = new StrongBox<int>();
        var clock = Stopwatch.StartNew();
        await ForEachUserAsync(users, user => TurnUntilAcknowledgedAsync(api, user, "t1", clock, failures, acknowledged));

        // Kill a silo (each hosts about a third of the grains) once the second round is well under way.
        var secondRound = ForEachUserAsync(users, user => TurnUntilAcknowledgedAsync(api, user, "t2", clock, failures, acknowledged));
        await Poll.UntilAsync("a quarter of the second-round turns to be acknowledged", TimeSpan.FromSeconds(60),
            () => Task.FromResult(Volatile.Read(ref acknowledged.Value) >= Users + Users / 4));
        var killedAt = clock.Elapsed;
        await silos[0].KillAsync();
        await secondRound;

        foreach (var user in users)
        {
            // A 503 is allowed while the cluster settles (the client retries it); a lost or doubled turn is not.
            var state = (await AvailableAsync($"{user}'s state", () => api.GetStateAsync(user))).ShouldBe(HttpStatusCode.OK);
            Assert.Equal(2, state.Version);
            var context = state.Json["context"]!.AsObject();
            Assert.True(context.ContainsKey("t1") && context.ContainsKey("t2"), $"{user}: {state.Body}");
            var history = (await AvailableAsync($"{user}'s history", () => api.GetHistoryAsync(user))).ShouldBe(HttpStatusCode.OK).Json["items"]!.AsArray();
            Assert.Equal(2, history.Count);
        }

        var afterKill = failures.Where(failure => failure.At >= killedAt).OrderBy(failure => failure.At).ToList();
        var window = afterKill.Count == 0 ? TimeSpan.Zero : afterKill[^1].At - killedAt;
        output.WriteLine($"silo killed at {killedAt.TotalSeconds:0.00} s; {afterKill.Count} failed attempts after it "
            + $"({string.Join(", ", afterKill.GroupBy(failure => failure.Status).Select(group => $"{(int)group.Key} x{group.Count()}"))}); "
            + $"calls failed for {window.TotalSeconds:0.00} s after the kill");
        // test.sh prints the figures it collects in its summary.
        if (Environment.GetEnvironmentVariable("BOTSTATE_TEST_FIGURES") is { Length: > 0 } figures)
        {
            await File.AppendAllTextAsync(figures, $"scale-out (3 silos, 200 users, 1 SIGKILLed): calls failed for {window.TotalSeconds:0.00} s after the kill "
                + $"({afterKill.Count} failed attempts, all retried to success); every acknowledged turn stored exactly once{Environment.NewLine}");
        }
    }

    private static async Task TurnUntilAcknowledgedAsync(
        ApiClient api, string user, string turn, Stopwatch clock, ConcurrentBag<(TimeSpan, HttpStatusCode)> failures, StrongBox<int> acknowledged)
    {
        // A client that retries with the same key after a failure, as the contract asks it to.
        var key = $"{user}-{turn}";
        var deadline = clock.Elapsed + TurnDeadline;
        while (true)
        {
            string failure;
            try
            {
                var response = await api.PostMessageAsync(user, turn, new JsonObject { [turn] = true }, ("Idempotency-Key", key));
                if (response.Status == HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref acknowledged.Value);
                    return;
                }

                Assert.Equal(HttpStatusCode.ServiceUnavailable, response.Status);
                failures.Add((clock.Elapsed, response.Status));
                failure = response.Describe();
            }
            catch (HttpRequestException exception)
            {
                failures.Add((clock.Elapsed, HttpStatusCode.BadGateway));
                failure = exception.Message;
            }

            Assert.True(clock.Elapsed < deadline, $"{user} {turn} not acknowledged within {TurnDeadline.TotalSeconds} s: {failure}");
            await Task.Delay(Poll.PollInterval);
        }
    }

    private async Task<ApiResponse> AvailableAsync(string what, Func<Task<ApiResponse>> read)
    {
        ApiResponse? response = null;
        await Poll.UntilAsync($"{what} to be answered other than 503", TurnDeadline, async () =>
        {
            response = await read();
            return response.Status != HttpStatusCode.ServiceUnavailable;
        }, () => $"{response!.Describe()}{Environment.NewLine}{Describe()}");
        return response!;
    }

    private static Task ForEachUserAsync(IEnumerable<string> users, Func<string, Task> action) =>
        Parallel.ForEachAsync(users, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (user, _) => await action(user));

    private ServiceProcess Launch(ServiceKind kind, string clusterId)
    {
        var process = PostgresCluster.Launch(kind, _database!.Url, clusterId, _directory);
        _processes.Add(process);
        return process;
    }

    private string Describe() => string.Join(Environment.NewLine, _processes.Select(process => process.Describe(30)));

    public async Task InitializeAsync() => _database = await PostgresDatabase.CreateAsync();

    public async Task DisposeAsync()
    {
        // Gateways first, then silos, each stopped by the test that started it.
        foreach (var process in _processes.OrderBy(process => process.Kind == ServiceKind.Silo))
        {
            await process.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }
}
