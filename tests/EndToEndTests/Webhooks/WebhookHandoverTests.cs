using System.Net;

namespace BotStateCluster.EndToEndTests;

/// <summary>
/// The production shape: two silos on PostgreSQL, one webhook sender for the tenant between them. The silo that runs it
/// is killed (SIGKILL) while a delivery hangs; the other takes over from the last delivered event, and every event
/// reaches the receiver, the one in flight again (at least once), each conversation's versions in order.
/// </summary>
public sealed class WebhookHandoverTests : IAsyncLifetime
{
    private const string SenderStarted = "Webhook sender of tenant default started on this silo";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    private readonly string _directory = Directory.CreateTempSubdirectory("botstate-handover-").FullName;
    private readonly List<ServiceProcess> _silos = [];
    private PostgresDatabase? _database;
    private WebhookReceiverProcess? _receiver;

    [Fact]
    public async Task KillingTheSiloThatDeliversHandsItsDeliveriesToAnother()
    {
        var user = ApiClient.NewUserId("handed-over");
        var apis = _silos.Select(silo => new ApiClient(silo.Http, Describe)).ToList();
        (await apis[0].PostMessageAsync(user, "turn 1")).ShouldBe(HttpStatusCode.OK);
        await DeliveredAsync(user, 1);
        var sender = _silos.Single(silo => silo.Output.Contains(SenderStarted, StringComparison.Ordinal));
        var survivor = _silos.Single(silo => silo != sender);
        var api = new ApiClient(survivor.Http, Describe);

        await _receiver!.SetModeAsync("default", "hang");
        (await api.PostMessageAsync(user, "turn 2")).ShouldBe(HttpStatusCode.OK);
        await Poll.UntilAsync("the second event's delivery to hang", Deadline, () => Task.FromResult(_receiver.Received().Any(entry =>
            entry["answer"]!.GetValue<string>() == "hang" && entry["body"]!["version"]!.GetValue<int>() == 2)), Describe);
        await sender.KillAsync();
        await _receiver.SetModeAsync("default", "ok");
        for (var turn = 3; turn <= 5; turn++)
        {
            await AcknowledgedAsync(api, user, $"turn {turn}");
        }

        var delivered = await DeliveredAsync(user, 5);
        Assert.Equal([1, 2, 3, 4, 5], delivered);
        Assert.Contains(SenderStarted, survivor.Output, StringComparison.Ordinal);
    }

    // Until the cluster has seen the silo die, a conversation that lived there answers 503: retried as a client does, with
    // the same idempotency key, so that a turn is applied once.
    private async Task AcknowledgedAsync(ApiClient api, string user, string text)
    {
        var key = ("Idempotency-Key", $"{user}-{text}");
        await Poll.UntilAsync($"'{text}' to be acknowledged", Deadline, async () =>
        {
            var response = await api.PostMessageAsync(user, text, null, key);
            return response.Status == HttpStatusCode.OK || (response.Status == HttpStatusCode.ServiceUnavailable ? false : throw new Xunit.Sdk.XunitException(response.Describe()));
        }, Describe);
    }

    // The versions delivered (answered ok) to the user, in arrival order of each event's first delivery.
    private async Task<List<int>> DeliveredAsync(string user, int count)
    {
        List<int> versions = [];
        await Poll.UntilAsync($"{count} events to be delivered", Deadline, () =>
        {
            versions = [.. _receiver!.Delivered("default")
                .Where(entry => entry["body"]!["thread_id"]!.GetValue<string>() == user && entry["verified"]!.GetValue<bool>())
                .DistinctBy(entry => entry["id"]!.GetValue<string>())
                .Select(entry => entry["body"]!["version"]!.GetValue<int>())];
            return Task.FromResult(versions.Count >= count);
        }, Describe);
        return versions;
    }

    private string Describe() => string.Join(Environment.NewLine, _silos.Select(silo => silo.Describe(30)));

    public async Task InitializeAsync()
    {
        _database = await PostgresDatabase.CreateAsync();
        _receiver = await WebhookReceiverProcess.StartAsync(_directory, WebhookServices.Secrets);
        var clusterId = $"handover-{Guid.NewGuid():N}";
        var settings = new Dictionary<string, string>
        {
            ["SILO_API_ENABLED"] = "true",
            ["WEBHOOK_URL"] = _receiver.UrlOf("default"),
            ["WEBHOOK_SECRET"] = WebhookServices.Secrets["default"],
            ["WEBHOOK_TIMEOUT"] = "30s",
            ["WEBHOOK_RETRY_DELAY"] = "1s",
        };
        _silos.AddRange(Enumerable.Range(0, 2).Select(_ => PostgresCluster.Launch(ServiceKind.Silo, _database.Url, clusterId, _directory, settings)));
        await Task.WhenAll(_silos.Select(silo => silo.WaitUntilReadyAsync()));
    }

    public async Task DisposeAsync()
    {
        foreach (var silo in _silos)
        {
            await silo.DisposeAsync();
        }

        if (_receiver is not null)
        {
            await _receiver.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }
}
