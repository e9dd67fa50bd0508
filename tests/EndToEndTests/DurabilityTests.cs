using System.Net;
using System.Text.Json.Nodes;

namespace BotStateCluster.EndToEndTests;

/// <summary>Acknowledged states survive a full restart of both processes, graceful or not.</summary>
public sealed class DurabilityTests : IAsyncLifetime
{
    private const int Users = 20;
    private readonly ServiceCluster _cluster = new();

    [Fact]
    public async Task EveryAcknowledgedStateSurvivesARestartOfBothProcesses()
    {
        var acknowledged = await WriteTurnsAsync("graceful");

        await _cluster.StopAsync();
        await _cluster.StartAsync();

        await AssertStoredAsync(acknowledged);
        var history = (await _cluster.Api.GetHistoryAsync(acknowledged.Keys.First())).ShouldBe(HttpStatusCode.OK).Json["items"]!.AsArray();
        Assert.Equal(2, history.Count);
    }

    [Fact]
    public async Task EveryAcknowledgedStateSurvivesAKilledSilo()
    {
        var acknowledged = await WriteTurnsAsync("killed");

        await _cluster.Silo.KillAsync();
        await _cluster.StopAsync();
        await _cluster.StartAsync();

        await AssertStoredAsync(acknowledged);
    }

    private async Task<Dictionary<string, ApiResponse>> WriteTurnsAsync(string purpose)
    {
        var acknowledged = new Dictionary<string, ApiResponse>();
        for (var i = 0; i < Users; i++)
        {
            var user = ApiClient.NewUserId($"{purpose}-{i}");
            (await _cluster.Api.PostMessageAsync(user, "first")).ShouldBe(HttpStatusCode.OK);
            acknowledged[user] = (await _cluster.Api.PostMessageAsync(user, $"second of {user}", new JsonObject { ["i"] = i })).ShouldBe(HttpStatusCode.OK);
        }

        return acknowledged;
    }

    private async Task AssertStoredAsync(Dictionary<string, ApiResponse> acknowledged)
    {
        foreach (var (user, written) in acknowledged)
        {
            var read = (await _cluster.Api.GetStateAsync(user)).ShouldBe(HttpStatusCode.OK);
            Assert.Equal(written.ETag, read.ETag);
            Assert.True(JsonNode.DeepEquals(written.Json, read.Json), $"{user}: wrote {written.Body}, read {read.Body}");
        }
    }

    public Task InitializeAsync() => _cluster.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();
}
