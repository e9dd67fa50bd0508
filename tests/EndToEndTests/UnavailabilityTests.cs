using System.Diagnostics;
using System.Net;
using Microsoft.Data.Sqlite;

namespace BotStateCluster.EndToEndTests;

/// <summary>
/// Without a silo, or with its SQLite file locked, the gateway says so fast: 503 + Retry-After within 2 s, never a
/// 2xx for something not stored; readiness names the failing check.
/// </summary>
public sealed class UnavailabilityTests : IAsyncLifetime
{
    private static readonly TimeSpan NoticeTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan FastAnswer = TimeSpan.FromSeconds(2);
    private readonly ServiceCluster _cluster = new();

    [Fact]
    public async Task WithTheSiloGoneTheGatewayAnswers503FastStaysAliveAndRecoversWithoutTraffic()
    {
        var user = ApiClient.NewUserId("unavailable");
        (await _cluster.Api.PostMessageAsync(user, "before")).ShouldBe(HttpStatusCode.OK);

        await _cluster.Silo.StopAsync();

        string readiness = "";
        await Poll.UntilAsync("the gateway's readiness to turn 503 naming the cluster check", NoticeTimeout, async () =>
        {
            using var response = await _cluster.Gateway.Http.GetAsync("/readiness");
            readiness = await response.Content.ReadAsStringAsync();
            return response.StatusCode == HttpStatusCode.ServiceUnavailable && readiness.Contains("\"cluster\"") && readiness.Contains("Unhealthy");
        }, () => readiness);

        var clock = Stopwatch.StartNew();
        var turn = (await _cluster.Api.PostMessageAsync(user, "during")).ShouldBeProblem(HttpStatusCode.ServiceUnavailable);
        Assert.True(clock.Elapsed < FastAnswer, $"the 503 took {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.NotNull(turn.Header("Retry-After"));
        (await _cluster.Api.GetStateAsync(user)).ShouldBeProblem(HttpStatusCode.ServiceUnavailable);
        using var health = await _cluster.Gateway.Http.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);

        // An unready gateway gets no traffic, so readiness alone must bring the client back.
        var silo = _cluster.Launch(ServiceKind.Silo);
        await silo.WaitUntilReadyAsync();
        await _cluster.Gateway.WaitUntilReadyAsync();
        var after = (await _cluster.Api.PostMessageAsync(user, "after")).ShouldBe(HttpStatusCode.OK);
        Assert.Equal(2, after.Version);
    }

    [Fact]
    public async Task AWriteLockedSqliteFileAnswers503WithinTwoSecondsAndTheRetriedTurnIsStoredOnce()
    {
        var user = ApiClient.NewUserId("locked");
        (await _cluster.Api.PostMessageAsync(user, "before")).ShouldBe(HttpStatusCode.OK);

        await using (var holder = new SqliteConnection($"Data Source={_cluster.DatabaseFile};Pooling=False"))
        {
            await holder.OpenAsync();
            await using var lockFile = holder.CreateCommand();
            lockFile.CommandText = "BEGIN EXCLUSIVE";
            await lockFile.ExecuteNonQueryAsync();

            var clock = Stopwatch.StartNew();
            var turn = (await _cluster.Api.PostMessageAsync(user, "during", null, ("Idempotency-Key", $"{user}-during"))).ShouldBeProblem(HttpStatusCode.ServiceUnavailable);
            Assert.True(clock.Elapsed < FastAnswer, $"the 503 took {clock.Elapsed.TotalSeconds:0.0} s");
            Assert.NotNull(turn.Header("Retry-After"));
        }

        // The turn that answered 503 may still have been stored when the lock went; retried with its key it counts once.
        ApiResponse? retried = null;
        await Poll.UntilAsync("the retried turn to be acknowledged once the lock is released", NoticeTimeout, async () =>
        {
            retried = await _cluster.Api.PostMessageAsync(user, "during", null, ("Idempotency-Key", $"{user}-during"));
            return retried.Status == HttpStatusCode.OK;
        }, () => retried?.Describe() ?? "");
        Assert.Equal(2, retried!.Version);
        Assert.Equal(2, (await _cluster.Api.GetStateAsync(user)).ShouldBe(HttpStatusCode.OK).Version);
    }

    public Task InitializeAsync() => _cluster.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();
}
