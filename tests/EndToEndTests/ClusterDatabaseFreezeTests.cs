using Xunit.Abstractions;

namespace BotStateCluster.EndToEndTests;

/// <summary>
/// Three silos and a gateway on a PostgreSQL of the test's own, frozen (SIGSTOP) for 15 s under a load of turns:
/// every answer comes within 2 s (a 503 with <c>Retry-After</c>, or a 200 for what is stored), and after the thaw
/// every acknowledged turn is stored, versions without a gap.
/// </summary>
public sealed class ClusterDatabaseFreezeTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Silos = 3;
    private static readonly TimeSpan Freeze = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan ContractAnswer = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan LoadTimeout = TimeSpan.FromSeconds(30);

    private OwnPostgresCluster? _cluster;

    [Fact]
    public async Task FrozenPostgreSqlUnderThreeSilosAnswersEveryTurnWithinTwoSecondsAndLosesNone()
    {
        var cluster = _cluster!;
        using var load = new TurnLoad(cluster.Gateway.BaseAddress, Describe, "freeze", userSets: 4, usersPerSet: 3, maxTurnsPerUser: 1000);
        load.Start();
        await load.AcknowledgedMoreAsync(30, LoadTimeout, Describe);

        await cluster.Postgres.FreezeAsync();
        var frozenAt = load.Elapsed;
        // The freeze lasts as long as the measurement; the load's clock says when it is over.
        await Poll.UntilAsync($"{Freeze.TotalSeconds:0} s of frozen PostgreSQL", Freeze + LoadTimeout,
            () => Task.FromResult(load.Elapsed - frozenAt >= Freeze), Describe);
        await cluster.Postgres.ThawAsync();
        var thawedAt = load.Elapsed;
        await load.AcknowledgedMoreAsync(30, LoadTimeout, Describe);
        await load.StopAsync();

        var answers = load.Answers;
        var duringFreeze = answers.Where(answer => answer.End >= frozenAt && answer.At <= thawedAt).ToList();
        output.WriteLine($"frozen from {frozenAt.TotalSeconds:0.00} s to {thawedAt.TotalSeconds:0.00} s");
        output.WriteLine($"during the freeze: {TurnAnswer.Summary(duringFreeze)}");
        output.WriteLine($"whole run: {TurnAnswer.Summary(answers)}, {load.AcknowledgedTurns} turns acknowledged");

        var slow = duringFreeze.Where(answer => answer.Took >= ContractAnswer).ToList();
        Assert.True(slow.Count == 0, $"{slow.Count} answers during the freeze took 2 s or more:{Environment.NewLine}{string.Join(Environment.NewLine, slow.Take(10))}{Environment.NewLine}{Describe()}");
        var unexpected = answers.Where(answer => answer.Status is not (200 or 503)).ToList();
        Assert.True(unexpected.Count == 0, $"answers other than 200 or 503:{Environment.NewLine}{string.Join(Environment.NewLine, unexpected.Take(10))}{Environment.NewLine}{Describe()}");
        Assert.Contains(duringFreeze, answer => answer.Status == 503);
        Assert.All(answers.Where(answer => answer.Status == 503), answer => Assert.True(answer.RetryAfter, $"503 without Retry-After: {answer}"));

        await load.AssertEveryAcknowledgedTurnStoredAsync();
    }

    private string Describe() => _cluster!.Describe(40);

    public async Task InitializeAsync() => _cluster = await OwnPostgresCluster.StartAsync("freeze", Silos);

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}
