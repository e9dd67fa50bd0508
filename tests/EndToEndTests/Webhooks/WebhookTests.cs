using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using static BotStateCluster.EndToEndTests.TenantKeys;

namespace BotStateCluster.EndToEndTests;

/// <summary>
/// Webhooks against a real receiver process that checks every signature: every event delivered, signed as the Standard
/// Webhooks specification says, in each conversation's version order; a receiver that fails gets retries with backoff,
/// then the event is listed, counted and can be sent again; one that hangs delays neither turns nor another tenant; one
/// that restarts gets what was sent while it was down.
/// </summary>
public sealed class WebhookTests(WebhookServices services) : IClassFixture<WebhookServices>
{
    private static readonly TimeSpan DeliveryDeadline = TimeSpan.FromSeconds(60);
    private WebhookReceiverProcess Receiver => services.Receiver;

    [Fact]
    public async Task EveryEventIsDeliveredOnceSignedInEachConversationsVersionOrder()
    {
        var api = services.Apis[0];
        var users = Enumerable.Range(0, 3).Select(i => ApiClient.NewUserId($"hooked{i}")).ToList();
        await Task.WhenAll(users.Select(async user =>
        {
            for (var turn = 1; turn <= 4; turn++)
            {
                (await services.Apis[turn % 2].PostMessageAsync(user, $"turn {turn}", null, Bearer(WebhookServices.DefaultKey))).ShouldBe(HttpStatusCode.OK);
            }
        }));
        (await api.DeleteStateAsync(users[0], Bearer(WebhookServices.DefaultKey))).ShouldBe(HttpStatusCode.NoContent);

        var delivered = await DeliveredOfAsync("default", users, count: 13);

        var feed = await FeedOfAsync(api, WebhookServices.DefaultKey, users);
        Assert.Equal(feed.Select(change => change.ToJsonString()).Order(), delivered.Select(entry => entry["body"]!.ToJsonString()).Order());
        Assert.All(delivered, entry =>
        {
            Assert.True(entry["verified"]!.GetValue<bool>(), entry.ToJsonString());
            Assert.Equal("application/json", entry["content_type"]!.GetValue<string>().Split(';')[0]);
            Assert.Equal($"evt_{entry["body"]!["cursor"]!.GetValue<string>()}", entry["id"]!.GetValue<string>());
        });
        Assert.Equal(delivered.Count, delivered.Select(entry => entry["id"]!.GetValue<string>()).Distinct().Count());
        foreach (var user in users)
        {
            var versions = delivered.Where(entry => ThreadOf(entry) == user).Select(entry => entry["body"]!["version"]!.GetValue<int>());
            Assert.Equal(user == users[0] ? [1, 2, 3, 4, 5] : [1, 2, 3, 4], versions);
        }

        var erasure = delivered.Single(entry => ThreadOf(entry) == users[0] && entry["body"]!["kind"]!.GetValue<string>() == "erased")["body"]!.AsObject();
        Assert.Equal("deleted", erasure["reason"]!.GetValue<string>());
        Assert.False(erasure.ContainsKey("state"));
    }

    [Fact]
    public async Task AFailingReceiverIsRetriedWithBackoffThenTheEventIsListedCountedAndCanBeSentAgain()
    {
        var api = services.Apis[1];
        var user = ApiClient.NewUserId("refused");
        await Receiver.SetModeAsync("acme", "fail");
        (await api.PostMessageAsync(user, "not taken", null, Bearer(WebhookServices.AcmeKey))).ShouldBe(HttpStatusCode.OK);

        var failure = await ListedFailureOfAsync(api, user);
        Assert.Equal(WebhookServices.Attempts, failure["attempts"]!.GetValue<int>());
        Assert.Equal("HTTP 500", failure["last_error"]!.GetValue<string>());
        Assert.Equal(1, failure["version"]!.GetValue<int>());
        var tries = Receiver.Received().Where(entry => entry["tenant"]!.GetValue<string>() == "acme" && entry["body"]!["thread_id"]!.GetValue<string>() == user).ToList();
        Assert.Equal(WebhookServices.Attempts, tries.Count);
        Assert.All(tries, entry => Assert.Equal($"evt_{failure["id"]!.GetValue<string>()}", entry["id"]!.GetValue<string>()));
        Assert.All(tries, entry => Assert.True(entry["verified"]!.GetValue<bool>()));
        // 1 s, then 2 s apart, each ±20 %: the second wait is the longer one.
        var sent = tries.Select(entry => long.Parse(entry["timestamp"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.True(sent[2] - sent[1] >= 1 && sent[2] >= sent[0] + 2, string.Join(", ", sent));
        await Poll.UntilAsync("the silo to count the failed delivery", TimeSpan.FromSeconds(10), async () =>
            (await services.Cluster.Silo.Http.GetStringAsync("/metrics")).Split('\n').Any(line =>
                line.StartsWith("botstate_webhook_deliveries_total{", StringComparison.Ordinal) && line.Contains("outcome=\"failed\"", StringComparison.Ordinal)
                && line.Contains("tenant=\"acme\"", StringComparison.Ordinal)));

        await Receiver.SetModeAsync("acme", "ok");
        var retry = (await api.SendAsync(HttpMethod.Post, "/v1/changes/failed-deliveries/retry", $$"""{"ids": ["{{failure["id"]!.GetValue<string>()}}"]}""", Bearer(WebhookServices.AcmeKey))).ShouldBe(HttpStatusCode.Accepted);
        Assert.Equal(1, retry.Json["retrying"]!.GetValue<int>());

        await DeliveredOfAsync("acme", [user], count: 1);
        await Poll.UntilAsync("the failed delivery to leave the list", DeliveryDeadline, async () => (await FailuresAsync(api)).All(item => item!["thread_id"]!.GetValue<string>() != user));
    }

    [Fact]
    public async Task AReceiverThatHangsDelaysNeitherTurnsNorAnotherTenantsDeliveries()
    {
        var user = ApiClient.NewUserId("hung");
        var other = ApiClient.NewUserId("flowing");
        await Receiver.SetModeAsync("acme", "hang");
        (await services.Apis[0].PostMessageAsync(user, "into the void", null, Bearer(WebhookServices.AcmeKey))).ShouldBe(HttpStatusCode.OK);
        await Poll.UntilAsync("acme's delivery to hang", DeliveryDeadline, () => Task.FromResult(
            Receiver.Received().Any(entry => entry["answer"]!.GetValue<string>() == "hang" && ThreadOf(entry) == user)));

        var clock = Stopwatch.StartNew();
        for (var turn = 1; turn <= 5; turn++)
        {
            (await services.Apis[turn % 2].PostMessageAsync(other, $"turn {turn}", null, Bearer(WebhookServices.DefaultKey))).ShouldBe(HttpStatusCode.OK);
            (await services.Apis[turn % 2].PostMessageAsync(user, $"turn {turn}", null, Bearer(WebhookServices.AcmeKey))).ShouldBe(HttpStatusCode.OK);
        }

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"10 turns took {clock.Elapsed} while a receiver hung");
        await DeliveredOfAsync("default", [other], count: 5);

        await Receiver.SetModeAsync("acme", "ok");
        await DeliveredEvenAfterFailingAsync(services.Apis[0], user, count: 6);
    }

    [Fact]
    public async Task AReceiverThatRestartsGetsWhatWasWrittenWhileItWasDown()
    {
        var user = ApiClient.NewUserId("patient");
        (await services.Apis[0].PostMessageAsync(user, "before", null, Bearer(WebhookServices.AcmeKey))).ShouldBe(HttpStatusCode.OK);
        await DeliveredOfAsync("acme", [user], count: 1);

        await Receiver.RestartAsync(whileDown: async () =>
        {
            for (var turn = 1; turn <= 3; turn++)
            {
                (await services.Apis[1].PostMessageAsync(user, $"while down {turn}", null, Bearer(WebhookServices.AcmeKey))).ShouldBe(HttpStatusCode.OK);
            }
        });

        var delivered = await DeliveredEvenAfterFailingAsync(services.Apis[0], user, count: 4);
        Assert.Equal([1, 2, 3, 4], delivered.Select(entry => entry["body"]!["version"]!.GetValue<int>()));
    }

    private static string ThreadOf(JsonObject entry) => entry["body"]!["thread_id"]!.GetValue<string>();

    // Waits until the receiver answered ok to count distinct events of these users; returns the first delivery of each.
    private async Task<List<JsonObject>> DeliveredOfAsync(string tenant, IReadOnlyList<string> users, int count)
    {
        List<JsonObject> delivered = [];
        await Poll.UntilAsync($"{count} events of {tenant} to be delivered", DeliveryDeadline, () =>
        {
            delivered = [.. Receiver.Delivered(tenant).Where(entry => users.Contains(ThreadOf(entry))).DistinctBy(entry => entry["id"]!.GetValue<string>())];
            return Task.FromResult(delivered.Count >= count);
        }, () => $"{delivered.Count} delivered{Environment.NewLine}{services.Cluster.Describe()}");
        return delivered;
    }

    // Delivery that may have run out of tries while the receiver was away: what is listed as failed is sent again.
    private async Task<List<JsonObject>> DeliveredEvenAfterFailingAsync(ApiClient api, string user, int count)
    {
        List<JsonObject> delivered = [];
        await Poll.UntilAsync($"{count} events of acme's {user} to be delivered", DeliveryDeadline, async () =>
        {
            if ((await FailuresAsync(api)).Any(item => item!["thread_id"]!.GetValue<string>() == user))
            {
                (await api.SendAsync(HttpMethod.Post, "/v1/changes/failed-deliveries/retry", null, Bearer(WebhookServices.AcmeKey))).ShouldBe(HttpStatusCode.Accepted);
            }

            delivered = [.. Receiver.Delivered("acme").Where(entry => ThreadOf(entry) == user).DistinctBy(entry => entry["id"]!.GetValue<string>())];
            return delivered.Count >= count;
        }, () => $"{delivered.Count} delivered{Environment.NewLine}{services.Cluster.Describe()}");
        return [.. delivered.OrderBy(entry => entry["body"]!["version"]!.GetValue<int>())];
    }

    private async Task<JsonObject> ListedFailureOfAsync(ApiClient api, string user)
    {
        JsonObject? failure = null;
        await Poll.UntilAsync("the delivery to be listed as failed", DeliveryDeadline, async () =>
        {
            failure = (await FailuresAsync(api)).FirstOrDefault(item => item!["thread_id"]!.GetValue<string>() == user)?.AsObject();
            return failure is not null;
        }, services.Cluster.Describe);
        return failure!;
    }

    private static async Task<JsonArray> FailuresAsync(ApiClient api) =>
        (await api.SendAsync(HttpMethod.Get, "/v1/changes/failed-deliveries", null, Bearer(WebhookServices.AcmeKey))).ShouldBe(HttpStatusCode.OK).Json["items"]!.AsArray();

    private static async Task<List<JsonObject>> FeedOfAsync(ApiClient api, string key, IReadOnlyList<string> users)
    {
        var events = new List<JsonObject>();
        string? cursor = null;
        while (true)
        {
            var page = (await api.SendAsync(HttpMethod.Get, $"/v1/changes?limit=1000{(cursor is null ? "" : $"&cursor={cursor}")}", null, Bearer(key))).ShouldBe(HttpStatusCode.OK).Json;
            var items = page["items"]!.AsArray();
            events.AddRange(items.Select(item => item!.AsObject()).Where(item => users.Contains(item["thread_id"]!.GetValue<string>())));
            cursor = page["next_cursor"]!.GetValue<string>();
            if (items.Count < 1000)
            {
                return events;
            }
        }
    }
}
