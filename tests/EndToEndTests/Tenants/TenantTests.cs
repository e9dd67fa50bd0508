using System.Net;
using System.Text.Json.Nodes;
using static BotStateCluster.EndToEndTests.TenantKeys;

namespace BotStateCluster.EndToEndTests;

/// <summary>
/// Tenants from API_KEYS_FILE, through the gateway and the silo-served API: one tenant's conversations do not exist
/// for another, the same user id in two tenants is two conversations, scopes are enforced, a key file edit takes effect
/// within seconds, and one tenant's flood leaves the others alone.
/// </summary>
public abstract class TenantTests<TServices>(TServices services) : IClassFixture<TServices>
    where TServices : TenantServices
{
    private static readonly TimeSpan RevocationDeadline = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task AnotherTenantsConversationAnswersAsOneThatDoesNotExist()
    {
        foreach (var api in services.Apis)
        {
            var user = ApiClient.NewUserId("isolated");
            (await api.PostMessageAsync(user, "acme's secret", null, Bearer(AcmeAll))).ShouldBe(HttpStatusCode.OK);
            var never = ApiClient.NewUserId("never");

            // Every answer to beta is the one a never-used id gets: nothing tells that acme's exists.
            foreach (var id in new[] { user, never })
            {
                (await api.GetStateAsync(id, Bearer(BetaAll))).ShouldBeProblem(HttpStatusCode.NotFound);
                (await api.GetActiveIntentAsync(id, Bearer(BetaAll))).ShouldBeProblem(HttpStatusCode.NotFound);
                (await api.SendAsync(HttpMethod.Get, ApiClient.StatePath(id) + "/export", null, Bearer(BetaAll))).ShouldBeProblem(HttpStatusCode.NotFound);
                var history = (await api.SendAsync(HttpMethod.Get, ApiClient.StatePath(id) + "/history", null, Bearer(BetaAll))).ShouldBe(HttpStatusCode.OK).Json;
                Assert.Empty(history["items"]!.AsArray());
                var turn = (await api.PostMessageAsync(id, "overwrite", null, Bearer(BetaAll), ("If-Match", "\"1\""))).ShouldBeProblem(HttpStatusCode.PreconditionFailed);
                Assert.Equal("No state exists; the request's precondition does not hold.", turn.Detail);
                var erasure = (await api.SendAsync(HttpMethod.Post, "/v1/erasures", $$"""{"thread_ids": ["{{id}}"]}""", Bearer(BetaAll))).ShouldBe(HttpStatusCode.OK).Json;
                Assert.Equal(id, erasure["not_found"]![0]!.GetValue<string>());
                (await api.DeleteStateAsync(id, Bearer(BetaAll), ("If-Match", "\"1\""))).ShouldBeProblem(HttpStatusCode.PreconditionFailed);
            }

            var listing = (await api.SendAsync(HttpMethod.Get, "/v1/states?limit=1000", null, Bearer(BetaAll))).ShouldBe(HttpStatusCode.OK).Json;
            Assert.DoesNotContain(listing["items"]!.AsArray(), item => item!["thread_id"]!.GetValue<string>() == user);

            // acme's conversation is untouched by all of it.
            var kept = (await api.GetStateAsync(user, Bearer(AcmeAll))).ShouldBe(HttpStatusCode.OK);
            Assert.Equal(1, kept.Version);
            Assert.Equal("acme's secret", kept.Json["user_message"]!["text"]!.GetValue<string>());
            var acmeListing = (await api.SendAsync(HttpMethod.Get, "/v1/states?limit=1000", null, Bearer(AcmeAll))).ShouldBe(HttpStatusCode.OK).Json;
            Assert.Contains(acmeListing["items"]!.AsArray(), item => item!["thread_id"]!.GetValue<string>() == user);
        }
    }

    [Fact]
    public async Task TheSameUserIdInTwoTenantsIsTwoConversationsWithTheirOwnIdempotencyKeys()
    {
        var api = services.Apis[0];
        var user = ApiClient.NewUserId("twice");
        var key = ("Idempotency-Key", Guid.NewGuid().ToString());

        var acme = (await api.PostMessageAsync(user, "to acme", null, Bearer(AcmeAll), key)).ShouldBe(HttpStatusCode.OK);
        (await api.PostMessageAsync(user, "again to acme", null, Bearer(AcmeAll))).ShouldBe(HttpStatusCode.OK);
        // The same key with another message is no reuse in another tenant: its own first turn.
        var beta = (await api.PostMessageAsync(user, "to beta", null, Bearer(BetaAll), key)).ShouldBe(HttpStatusCode.OK);

        Assert.Equal(1, acme.Version);
        Assert.Equal(1, beta.Version);
        Assert.Null(beta.Header("Idempotent-Replayed"));
        Assert.Equal("to beta", (await api.GetStateAsync(user, Bearer(BetaAll))).ShouldBe(HttpStatusCode.OK).Json["user_message"]!["text"]!.GetValue<string>());
        Assert.Equal(2, (await api.GetStateAsync(user, Bearer(AcmeAll))).ShouldBe(HttpStatusCode.OK).Version);
        var betaHistory = (await api.GetHistoryAsync(user, "", Bearer(BetaAll))).ShouldBe(HttpStatusCode.OK).Json["items"]!.AsArray();
        Assert.Equal([1], betaHistory.Select(item => item!["version"]!.GetValue<int>()));
    }

    [Fact]
    public async Task SixteenClientsWritingOneUserIdInTwoTenantsKeepEachTenantsVersionsGapFree()
    {
        const int TurnsPerClient = 5;
        var user = ApiClient.NewUserId("contended");
        var tenants = new[] { AcmeAll, BetaAll };
        await Task.WhenAll(Enumerable.Range(0, 16).Select(async client =>
        {
            var api = services.Apis[client % 2];
            for (var turn = 0; turn < TurnsPerClient; turn++)
            {
                (await api.PostMessageAsync(user, $"client {client} turn {turn}", null, Bearer(tenants[client % tenants.Length]))).ShouldBe(HttpStatusCode.OK);
            }
        }));

        foreach (var key in tenants)
        {
            var expected = 8 * TurnsPerClient;
            Assert.Equal(expected, (await services.Apis[0].GetStateAsync(user, Bearer(key))).ShouldBe(HttpStatusCode.OK).Version);
            var versions = (await services.Apis[1].GetHistoryAsync(user, "?limit=100", Bearer(key))).ShouldBe(HttpStatusCode.OK).Json["items"]!.AsArray()
                .Select(item => item!["version"]!.GetValue<int>());
            Assert.Equal(Enumerable.Range(1, expected).Reverse(), versions);
        }
    }

    [Fact]
    public async Task TheChangeFeedHoldsOnlyTheCallersTenantsChanges()
    {
        foreach (var api in services.Apis)
        {
            var user = ApiClient.NewUserId("feed");
            (await api.PostMessageAsync(user, "acme's turn", null, Bearer(AcmeAll))).ShouldBe(HttpStatusCode.OK);
            (await api.PostMessageAsync(user, "beta's turn", null, Bearer(BetaAll))).ShouldBe(HttpStatusCode.OK);
            (await api.PostMessageAsync(user, "beta's second", null, Bearer(BetaAll))).ShouldBe(HttpStatusCode.OK);

            Assert.Equal(["acme's turn"], await TextsInFeedAsync(api, user, AcmeRead));
            Assert.Equal(["beta's turn", "beta's second"], await TextsInFeedAsync(api, user, BetaAll));
            (await api.SendAsync(HttpMethod.Get, "/v1/changes")).ShouldBeProblem(HttpStatusCode.Unauthorized);
        }
    }

    private static async Task<List<string>> TextsInFeedAsync(ApiClient api, string user, string key)
    {
        var texts = new List<string>();
        string? cursor = null;
        while (true)
        {
            var page = (await api.SendAsync(HttpMethod.Get, $"/v1/changes?limit=1000{(cursor is null ? "" : $"&cursor={cursor}")}", null, Bearer(key))).ShouldBe(HttpStatusCode.OK).Json;
            var items = page["items"]!.AsArray();
            texts.AddRange(items.Where(item => item!["thread_id"]!.GetValue<string>() == user).Select(item => item!["state"]!["user_message"]!["text"]!.GetValue<string>()));
            cursor = page["next_cursor"]!.GetValue<string>();
            if (items.Count < 1000)
            {
                return texts;
            }
        }
    }

    [Fact]
    public async Task AKeyWithoutTheScopeIsForbiddenNamingIt()
    {
        foreach (var api in services.Apis)
        {
            var user = ApiClient.NewUserId("scoped");
            (await api.PostMessageAsync(user, "hi", null, Bearer(AcmeAll))).ShouldBe(HttpStatusCode.OK);

            (await api.GetStateAsync(user, Bearer(AcmeRead))).ShouldBe(HttpStatusCode.OK);
            var write = (await api.PostMessageAsync(user, "no", null, Bearer(AcmeRead))).ShouldBeProblem(HttpStatusCode.Forbidden);
            Assert.Equal("urn:botstate:problem:forbidden", write.Json["type"]!.GetValue<string>());
            Assert.Contains("'write'", write.Detail);
            var export = (await api.SendAsync(HttpMethod.Get, ApiClient.StatePath(user) + "/export", null, Bearer(AcmeRead))).ShouldBeProblem(HttpStatusCode.Forbidden);
            Assert.Contains("'privacy'", export.Detail);
            (await api.SendAsync(HttpMethod.Post, "/v1/erasures", $$"""{"thread_ids": ["{{user}}"]}""", Bearer(Flood))).ShouldBeProblem(HttpStatusCode.Forbidden);

            Assert.Equal(1, (await api.GetStateAsync(user, Bearer(AcmeAll))).ShouldBe(HttpStatusCode.OK).Version);
        }
    }

    [Fact]
    public async Task KeysThatAreMissingUnknownOrDisagreeingAreUnauthorized()
    {
        foreach (var api in services.Apis)
        {
            var user = ApiClient.NewUserId("unauthorized");
            (await api.GetStateAsync(user)).ShouldBeProblem(HttpStatusCode.Unauthorized);
            (await api.GetStateAsync(user, Bearer("not-a-key-of-this-service-000"))).ShouldBeProblem(HttpStatusCode.Unauthorized);

            var disagreeing = (await api.PostMessageAsync(user, "which?", null, Bearer(AcmeAll), ("X-API-Key", BetaAll))).ShouldBeProblem(HttpStatusCode.Unauthorized);
            Assert.Contains("different keys", disagreeing.Detail);
            Assert.Equal("Bearer", disagreeing.Header("WWW-Authenticate"));
            (await api.GetStateAsync(user, Bearer(AcmeAll))).ShouldBeProblem(HttpStatusCode.NotFound);
            (await api.GetStateAsync(user, Bearer(BetaAll))).ShouldBeProblem(HttpStatusCode.NotFound);

            // The same key in both headers is one key.
            (await api.PostMessageAsync(user, "both", null, Bearer(AcmeAll), ("X-API-Key", AcmeAll))).ShouldBe(HttpStatusCode.OK);
        }
    }

    [Fact]
    public async Task ATenantFloodingAtTenTimesItsLimitIsRefusedWhileAnotherTenantIsServed()
    {
        var api = services.Apis[0];
        var floodUser = ApiClient.NewUserId("flood");
        var calmUser = ApiClient.NewUserId("calm");
        (await api.PostMessageAsync(calmUser, "hi", null, Bearer(Calm))).ShouldBe(HttpStatusCode.OK);

        // Ten times the flooding key's burst at once, and the calm tenant's reads in the same moment.
        var flood = Enumerable.Range(0, 10 * FloodLimit).Select(_ => api.GetStateAsync(floodUser, Bearer(Flood))).ToList();
        var calm = Enumerable.Range(0, 50).Select(_ => api.GetStateAsync(calmUser, Bearer(Calm))).ToList();
        var floodAnswers = await Task.WhenAll(flood);
        var calmAnswers = await Task.WhenAll(calm);

        var limited = floodAnswers.Where(answer => answer.Status == HttpStatusCode.TooManyRequests).ToList();
        Assert.True(limited.Count >= 5 * FloodLimit, $"{limited.Count} of {floodAnswers.Length} flood requests were limited");
        Assert.All(floodAnswers, answer => Assert.Contains(answer.Status, new[] { HttpStatusCode.TooManyRequests, HttpStatusCode.NotFound }));
        var refused = limited[0].ShouldBeProblem(HttpStatusCode.TooManyRequests);
        Assert.Equal("urn:botstate:problem:rate-limited", refused.Json["type"]!.GetValue<string>());
        Assert.True(int.Parse(refused.Header("Retry-After")!, System.Globalization.CultureInfo.InvariantCulture) >= 1);
        Assert.All(calmAnswers, answer => answer.ShouldBe(HttpStatusCode.OK));
    }

    [Fact]
    public async Task MetricsCarryTheTenantAndNeverAKeyOrAUserId()
    {
        var user = ApiClient.NewUserId("metered");
        foreach (var api in services.Apis)
        {
            (await api.PostMessageAsync(user, "count me", null, Bearer(BetaAll))).ShouldBe(HttpStatusCode.OK);
        }

        foreach (var process in new[] { services.Cluster.Silo, services.Cluster.Gateway })
        {
            // Requests are counted once answered, which the client may see first.
            var metrics = "";
            await Poll.UntilAsync($"the {process.Kind}'s metrics to count beta's requests", TimeSpan.FromSeconds(10), async () =>
            {
                metrics = await process.Http.GetStringAsync("/metrics");
                return metrics.Split('\n').Any(line => line.StartsWith("http_request_duration_seconds_count{", StringComparison.Ordinal) && line.Contains("tenant=\"beta\"", StringComparison.Ordinal));
            });
            Assert.DoesNotContain(user, metrics, StringComparison.Ordinal);
            Assert.DoesNotContain("beta-all", metrics, StringComparison.Ordinal);
            Assert.DoesNotContain(BetaAll, metrics, StringComparison.Ordinal);
        }

        await Poll.UntilAsync("the silo to count beta's turn", TimeSpan.FromSeconds(10), async () =>
            (await services.Cluster.Silo.Http.GetStringAsync("/metrics")).Split('\n')
                .Any(line => line.StartsWith("botstate_turns_total{", StringComparison.Ordinal) && line.Contains("tenant=\"beta\"", StringComparison.Ordinal)));
    }
}

public sealed class SqliteTenantTests(SqliteTenantServices services) : TenantTests<SqliteTenantServices>(services);

public sealed class PostgreSqlTenantTests(PostgreSqlTenantServices services) : TenantTests<PostgreSqlTenantServices>(services);
