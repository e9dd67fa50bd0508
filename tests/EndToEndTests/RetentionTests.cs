using System.Net;
using System.Text.RegularExpressions;

namespace BotStateCluster.EndToEndTests;

/// <summary>
/// Retention in a real silo with short durations: the test waits for the sweep's effects with a
/// deadline, never for a fixed time.
/// </summary>
public sealed partial class RetentionTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private readonly ServiceCluster _cluster = new(new Dictionary<string, string>
    {
        ["STATE_TTL"] = "4s",
        ["RETENTION_SWEEP_INTERVAL"] = "1s",
    });

    private ApiClient Api => _cluster.Api;

    public Task InitializeAsync() => _cluster.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task AnIdleConversationIsGoneFromGetListingAndHistoryWhileABusyOneKeepsEveryTurn()
    {
        var (idle, busy) = (ApiClient.NewUserId("idle"), ApiClient.NewUserId("busy"));
        (await Api.PostMessageAsync(idle, "hello")).ShouldBe(HttpStatusCode.OK);
        var turns = 0;

        await Poll.UntilAsync("the idle conversation to expire", Deadline, async () =>
        {
            // The busy conversation gets a turn every look: never idle for STATE_TTL.
            (await Api.PostMessageAsync(busy, $"turn {++turns}")).ShouldBe(HttpStatusCode.OK);
            return (await Api.GetStateAsync(idle)).Status == HttpStatusCode.NotFound;
        }, _cluster.Describe);

        Assert.Empty((await Api.GetHistoryAsync(idle)).ShouldBe(HttpStatusCode.OK).Json["items"]!.AsArray());
        var listed = (await Api.SendAsync(HttpMethod.Get, "/v1/states?limit=1000")).ShouldBe(HttpStatusCode.OK).Json["items"]!.AsArray()
            .Select(item => item!["thread_id"]!.GetValue<string>()).ToList();
        Assert.DoesNotContain(idle, listed);
        Assert.Contains(busy, listed);
        var state = (await Api.GetStateAsync(busy)).ShouldBe(HttpStatusCode.OK);
        Assert.Equal(turns, state.Version);
        (await Api.SendAsync(HttpMethod.Get, ApiClient.StatePath(idle) + "/export")).ShouldBeProblem(HttpStatusCode.NotFound);

        // The sweep itself ran and said so, once a sweep, without naming a user.
        await Poll.UntilAsync("a sweep that expired a conversation", Deadline,
            () => Task.FromResult(SweepLine().IsMatch(_cluster.Silo.Output)), _cluster.Describe);
        Assert.DoesNotContain(idle, _cluster.Silo.Output, StringComparison.Ordinal);
        var metrics = await _cluster.Silo.Http.GetStringAsync("/metrics");
        Assert.Matches(@"botstate_retention_erased_total\{kind=""state""\} [1-9]", metrics);
        Assert.Contains("botstate_retention_sweep_duration", metrics, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"Retention sweep: \d+ conversations expired, \d+ snapshots trimmed, \d+ tombstones purged, \d+ change events purged, 0 failed")]
    private static partial Regex SweepLine();
}
