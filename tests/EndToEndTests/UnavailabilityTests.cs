using System.Diagnostics;
using System.Net;

namespace BotStateCluster.EndToEndTests;

/// <summary>Without a silo the gateway says so fast: readiness 503 naming the cluster, 503 + Retry-After, never a 2xx.</summary>
public sealed class UnavailabilityTests : IAsyncLifetime
{
    private static readonly TimeSpan NoticeTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan FastAnswer = TimeSpan.FromSeconds(15);
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

    public Task InitializeAsync() => _cluster.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();
}
