using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;

namespace BotStateCluster.EndToEndTests;

/// <summary>
/// A bounded load of concurrent turn clients that behave as the contract asks: every turn carries an idempotency
/// key and is sent again with it after a 503 (or a refused connection) until it is acknowledged. Every answer is
/// recorded (when it was asked, how long the service took to answer, its status); afterwards every acknowledged turn
/// must be stored.
/// </summary>
/// <remarks>
/// Two workers share each set of users and send the same turn with the same key, so that turns of one user also
/// queue behind each other in its grain, as a client's retries after a timeout do.
/// </remarks>
public sealed class TurnLoad : IDisposable
{
    private const int WorkersPerUserSet = 2;

    /// <summary>
    /// A worker's pause after an acknowledged turn, as a user's between two messages: it bounds the load (eight workers make
    /// at most 160 turns a second) on a machine the test shares with every process it runs.
    /// </summary>
    private static readonly TimeSpan ThinkTime = TimeSpan.FromMilliseconds(50);

    /// <summary>How long one turn may go unacknowledged before its worker gives up (the test then fails).</summary>
    private static readonly TimeSpan TurnDeadline = TimeSpan.FromSeconds(45);

    private readonly HttpClient _http;
    private readonly ApiClient _api;
    private readonly Func<string> _diagnostics;
    private readonly string[][] _userSets;
    private readonly int _maxTurnsPerUser;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly ConcurrentQueue<TurnAnswer> _answers = new();
    private readonly ConcurrentDictionary<string, int> _acknowledged = new();
    private readonly CancellationTokenSource _stop = new();
    private Task? _workers;

    /// <param name="gateway">Where the API is served.</param>
    /// <param name="diagnostics">The services' output, for failure messages (the waits' too).</param>
    /// <param name="purpose">Names the users.</param>
    /// <param name="userSets">Sets of users, each worked by two clients.</param>
    /// <param name="usersPerSet">Users in a set, taken in turn.</param>
    /// <param name="maxTurnsPerUser">The bound on the load: a worker stops when its users have this many turns.</param>
    public TurnLoad(Uri gateway, Func<string> diagnostics, string purpose, int userSets, int usersPerSet, int maxTurnsPerUser)
    {
        _http = new HttpClient(new AnswerTimer()) { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(60) };
        _api = new ApiClient(_http, diagnostics);
        _diagnostics = diagnostics;
        _maxTurnsPerUser = maxTurnsPerUser;
        _userSets = [.. Enumerable.Range(0, userSets)
            .Select(set => Enumerable.Range(0, usersPerSet).Select(user => ApiClient.NewUserId($"{purpose}-{set}-{user}")).ToArray())];
    }

    /// <summary>Time since the load was created, the clock of <see cref="TurnAnswer.At"/>.</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>Every answer so far.</summary>
    public IReadOnlyList<TurnAnswer> Answers => [.. _answers];

    /// <summary>Acknowledged turns, all users together.</summary>
    public int AcknowledgedTurns => _acknowledged.Values.Sum();

    public void Start() => _workers = Task.WhenAll(Enumerable.Range(0, _userSets.Length * WorkersPerUserSet)
        .Select(worker => Task.Run(() => WorkAsync(_userSets[worker % _userSets.Length]))));

    /// <summary>Waits until <paramref name="more"/> turns more than now are acknowledged.</summary>
    public Task AcknowledgedMoreAsync(int more, TimeSpan timeout)
    {
        var target = AcknowledgedTurns + more;
        return Poll.UntilAsync($"{more} more acknowledged turns (now {AcknowledgedTurns} of {target})", timeout,
            () => Task.FromResult(AcknowledgedTurns >= target || _workers?.IsCompleted == true), _diagnostics);
    }

    /// <summary>Waits until every user has a turn more acknowledged than now.</summary>
    public Task EveryUserAcknowledgedMoreAsync(TimeSpan timeout)
    {
        var now = _userSets.SelectMany(users => users).ToDictionary(user => user, user => _acknowledged.GetValueOrDefault(user));
        return Poll.UntilAsync("a turn more acknowledged for every user", timeout,
            () => Task.FromResult(now.All(user => _acknowledged.GetValueOrDefault(user.Key) > user.Value) || _workers?.IsCompleted == true), _diagnostics);
    }

    /// <summary>Waits until <paramref name="more"/> answers more than now have <paramref name="status"/>.</summary>
    public Task AnsweredMoreAsync(int status, int more, TimeSpan timeout)
    {
        var target = _answers.Count(answer => answer.Status == status) + more;
        return Poll.UntilAsync($"{more} more answers {status}", timeout,
            () => Task.FromResult(_answers.Count(answer => answer.Status == status) >= target || _workers?.IsCompleted == true), _diagnostics);
    }

    /// <summary>Lets every worker finish the turn it is on (so that nothing unacknowledged remains), then stops it.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        if (_workers is not null)
        {
            await _workers;
        }
    }

    /// <summary>
    /// Reads every user back: the state's version is its count of acknowledged turns and its context holds every
    /// one of them, and the history's versions follow each other without a gap.
    /// </summary>
    public async Task AssertEveryAcknowledgedTurnStoredAsync()
    {
        foreach (var (user, turns) in _acknowledged)
        {
            var state = (await _api.GetStateAsync(user)).ShouldBe(HttpStatusCode.OK);
            Assert.True(turns == state.Version, $"{user}: {turns} turns acknowledged, version {state.Version} stored: {state.Body}");
            var context = state.Json["context"]!.AsObject();
            var lost = Enumerable.Range(1, turns).Where(turn => !context.ContainsKey($"t{turn}")).ToList();
            Assert.True(lost.Count == 0, $"{user} lost acknowledged turns {string.Join(", ", lost)}: {state.Body}");

            var history = (await _api.GetHistoryAsync(user, $"?limit={Math.Min(turns, 100)}")).ShouldBe(HttpStatusCode.OK).Json["items"]!.AsArray();
            var versions = history.Select(item => item!["version"]!.GetValue<int>()).ToList();
            Assert.True(versions.SequenceEqual(Enumerable.Range(turns - versions.Count + 1, versions.Count).Reverse()) && versions.Count > 0,
                $"{user}: history versions {string.Join(", ", versions)} after {turns} acknowledged turns");
        }
    }

    // Turns round the set's users; once the other worker on the set has this turn acknowledged (same key, same
    // message) it is done: retried later still, it could outlast the keys a conversation remembers.
    private async Task WorkAsync(string[] users)
    {
        for (var round = 0; !_stop.IsCancellationRequested; round++)
        {
            var user = users[round % users.Length];
            var turn = _acknowledged.GetValueOrDefault(user) + 1;
            if (turn > _maxTurnsPerUser)
            {
                return;
            }

            var deadline = _clock.Elapsed + TurnDeadline;
            while (_acknowledged.GetValueOrDefault(user) < turn)
            {
                var answer = await SendAsync(user, turn);
                _answers.Enqueue(answer);
                if (answer.Status == (int)HttpStatusCode.OK)
                {
                    Assert.True(answer.Version == turn, $"{user} turn {turn} was acknowledged as version {answer.Version}");
                    _acknowledged.AddOrUpdate(user, turn, (_, known) => Math.Max(known, turn));
                    await Task.Delay(ThinkTime, CancellationToken.None);
                    break;
                }

                // A 503 or a refused connection is retried with the same key, as the contract asks of a client; anything
                // else ends the worker (the test reports it).
                if (answer.Status is not ((int)HttpStatusCode.ServiceUnavailable or TurnAnswer.NoAnswer) || _clock.Elapsed > deadline)
                {
                    return;
                }

                await Task.Delay(Poll.PollInterval, CancellationToken.None);
            }
        }
    }

    public void Dispose()
    {
        _stop.Dispose();
        _http.Dispose();
    }

    private async Task<TurnAnswer> SendAsync(string user, int turn)
    {
        var at = _clock.Elapsed;
        try
        {
            var (response, took) = await AnswerTimer.TimeAsync(() =>
                _api.PostMessageAsync(user, $"t{turn}", new JsonObject { [$"t{turn}"] = true }, ("Idempotency-Key", $"{user}-t{turn}")));
            var version = response.Status == HttpStatusCode.OK ? response.Version : 0;
            return new TurnAnswer(user, turn, at, took, (int)response.Status, version,
                response.Header("Retry-After") is not null, response.Body[..Math.Min(response.Body.Length, 300)]);
        }
        catch (HttpRequestException exception)
        {
            return new TurnAnswer(user, turn, at, _clock.Elapsed - at, TurnAnswer.NoAnswer, 0, false, exception.Message);
        }
    }
}

/// <summary>One answer to a turn: asked at <paramref name="At"/> on the load's clock, answered (headers received) after <paramref name="Took"/>.</summary>
public sealed record TurnAnswer(string User, int Turn, TimeSpan At, TimeSpan Took, int Status, int Version, bool RetryAfter, string Body)
{
    /// <summary>The status of a request the gateway did not answer (connection refused or reset).</summary>
    public const int NoAnswer = 0;

    /// <summary>When the answer came.</summary>
    public TimeSpan End => At + Took;

    /// <summary>Counts by status, the slowest and the 95th percentile, for a test's output.</summary>
    public static string Summary(IReadOnlyCollection<TurnAnswer> answers)
    {
        if (answers.Count == 0)
        {
            return "no answers";
        }

        var took = answers.Select(answer => answer.Took.TotalSeconds).Order().ToList();
        var statuses = string.Join(", ", answers.GroupBy(answer => answer.Status).OrderBy(group => group.Key).Select(group => $"{group.Key} x{group.Count()}"));
        return $"{answers.Count} answers ({statuses}), slowest {took[^1]:0.000} s, p95 {took[(int)Math.Ceiling(took.Count * 0.95) - 1]:0.000} s";
    }

    public override string ToString() => $"{User} t{Turn} at {At.TotalSeconds:0.00} s: {Status} in {Took.TotalSeconds:0.000} s {Body}";
}
