using Xunit.Abstractions;

namespace BotStateCluster.EndToEndTests;

/// <summary>
/// Three silos and a gateway on PostgreSQL, restarted one after another (SIGTERM, exited, started again, ready)
/// under a load of turns through the gateway: a silo that leaves hands its conversations over, so no turn fails,
/// and every acknowledged turn is stored.
/// </summary>
public sealed class RollingRestartTests(ITestOutputHelper output)
{
    private const int Silos = 3;
    private static readonly TimeSpan LoadTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task RestartingEverySiloInTurnUnderLoadFailsNoTurnAndLosesNone()
    {
        await using var cluster = await OwnPostgresCluster.StartAsync("rolling", Silos);
        using var load = new TurnLoad(cluster.Gateway.BaseAddress, cluster.Describe, "rolling", userSets: 4, usersPerSet: 3, maxTurnsPerUser: 1000);
        load.Start();
        await load.AcknowledgedMoreAsync(30, LoadTimeout);

        var restarts = new List<string>();
        for (var silo = 0; silo < Silos; silo++)
        {
            var began = load.Elapsed;
            await cluster.RestartSiloAsync(silo);
            restarts.Add($"silo {silo} restarted from {began.TotalSeconds:0.00} s to {load.Elapsed.TotalSeconds:0.00} s");
            // The load goes on against the cluster with the new silo in it before the next one goes.
            await load.AcknowledgedMoreAsync(20, LoadTimeout);
        }

        await load.StopAsync();

        var answers = load.Answers;
        output.WriteLine(string.Join(Environment.NewLine, restarts));
        output.WriteLine($"whole run: {TurnAnswer.Summary(answers)}, {load.AcknowledgedTurns} turns acknowledged");
        var failed = answers.Where(answer => answer.Status != 200).ToList();
        Assert.True(failed.Count == 0, $"{failed.Count} turns failed:{Environment.NewLine}{string.Join(Environment.NewLine, failed.Take(10))}{Environment.NewLine}{cluster.Describe()}");

        await load.AssertEveryAcknowledgedTurnStoredAsync();
    }
}
