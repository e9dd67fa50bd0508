using System.Text;
using BotStateCluster.Api.Keys;

namespace BotStateCluster.UnitTests;

public sealed class ApiKeyFileTests
{
    private static readonly string HashA = ApiKeySet.Sha256Hex("key-a-0123456789abcdef");
    private static readonly string HashB = ApiKeySet.Sha256Hex("key-b-0123456789abcdef");
    private const string Secret = "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYX";

    private static IReadOnlyList<ApiKeyEntry> Parse(string json) => ApiKeyFile.Parse(Encoding.UTF8.GetBytes(json));

    private static string Entry(string id = "acme-bot", string tenant = "acme", string scopes = "\"read\", \"write\"", string? sha256 = null, string extra = "") =>
        $$"""{"id": "{{id}}", "tenant": "{{tenant}}", "scopes": [{{scopes}}], "sha256": "{{sha256 ?? HashA}}"{{extra}}}""";

    [Fact]
    public void ReadsTheEntriesOfDesignSection11()
    {
        var entries = Parse($$"""{"keys": [{{Entry(extra: ", \"rate_limit\": {\"per_second\": 200, \"burst\": 400}")}}, {{Entry("b", "other", "\"privacy\"", HashB.ToUpperInvariant())}}]}""");

        Assert.Equal(2, entries.Count);
        Assert.Equal(new ApiKeyEntry("acme-bot", TenantId.Parse("acme"), ["read", "write"], HashA, new RateLimit(200, 400)) with { Scopes = entries[0].Scopes }, entries[0]);
        Assert.Equal(["read", "write"], entries[0].Scopes);
        Assert.Equal(HashB, entries[1].Sha256);
        Assert.Null(entries[1].RateLimit);
    }

    [Fact]
    public void ABurstDefaultsToTheRate()
    {
        Assert.Equal(new RateLimit(5, 5), Parse($$"""{"keys": [{{Entry(extra: ", \"rate_limit\": {\"per_second\": 5}")}}]}""")[0].RateLimit);
    }

    [Theory]
    [InlineData("acme/x")]
    [InlineData("acme%2f")]
    [InlineData("Acme")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("")]
    public void ATenantIdThatIsNotOneIsRefusedNamingTheEntry(string tenant)
    {
        var error = Assert.Throws<FormatException>(() => Parse($$"""{"keys": [{{Entry(tenant: tenant)}}]}"""));

        Assert.StartsWith("keys[0] ('acme-bot'): ", error.Message, StringComparison.Ordinal);
        Assert.Contains("tenant", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheSameKeyTwiceIsRefusedNamingBothAndNoHash()
    {
        var error = Assert.Throws<FormatException>(() =>
            ApiKeyRingFor($$"""{"keys": [{{Entry("first")}}, {{Entry("second", "other")}}]}"""));

        Assert.Contains("'first'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'second'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(HashA, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheSameIdTwiceIsRefused()
    {
        var error = Assert.Throws<FormatException>(() => Parse($$"""{"keys": [{{Entry("same")}}, {{Entry("same", sha256: HashB)}}]}"""));

        Assert.Contains("'same'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"keys": [{"id": "a", "tenant": "acme", "scopes": ["admin"], "sha256": "%h"}]}""", "unknown scope")]
    [InlineData("""{"keys": [{"id": "a", "tenant": "acme", "scopes": [], "sha256": "%h"}]}""", "scopes")]
    [InlineData("""{"keys": [{"id": "a", "tenant": "acme", "scope": ["read"], "scopes": ["read"], "sha256": "%h"}]}""", "unknown field \"scope\"")]
    [InlineData("""{"keys": [{"id": "a", "tenant": "acme", "scopes": ["read"], "sha256": "abc"}]}""", "sha256")]
    [InlineData("""{"keys": [{"id": "a", "tenant": "acme", "scopes": ["read"], "sha256": "%h", "rate_limit": {"per_second": 0}}]}""", "rate_limit")]
    [InlineData("""{"keys": [{"id": "a", "tenant": "acme", "scopes": ["read"], "sha256": "%h", "rate_limit": {"per_second": 5, "burst": 0}}]}""", "burst")]
    [InlineData("""{"key": []}""", "\"keys\" array")]
    [InlineData("""{"keys": [], "extra": 1}""", "unknown field \"extra\"")]
    [InlineData("""{"keys": [], "tenants": {"Bad/Tenant": {}}}""", "tenants:")]
    [InlineData("""{"keys": [""", "not valid JSON")]
    public void AnythingOffIsRefusedSayingWhat(string json, string expected)
    {
        var error = Assert.Throws<FormatException>(() => Parse(json.Replace("%h", HashA, StringComparison.Ordinal)));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ATenantsWebhookIsReadFromTheFile()
    {
        var content = ApiKeyFile.Read(Encoding.UTF8.GetBytes("{\"keys\": [" + Entry() + "], \"tenants\": {\"acme\": {\"webhook\": {\"url\": \"https://hooks.example/acme\", \"secret\": \"" + Secret + "\"}}, \"beta\": {}}}"));

        var webhook = Assert.Single(content.Webhooks);
        Assert.Equal(TenantId.Parse("acme"), webhook.Key);
        Assert.Equal(new Uri("https://hooks.example/acme"), webhook.Value.Url);
        Assert.Single(content.Keys);
    }

    [Theory]
    [InlineData("""{"acme": {"webhook": {"url": "https://h/x"}}}""", "tenants.acme.webhook: the secret")]
    [InlineData("""{"acme": {"webhook": {"url": "https://h/x", "secret": "whsec_short"}}}""", "tenants.acme.webhook: the secret")]
    [InlineData("""{"acme": {"webhook": {"url": "mailto:x", "secret": "%s"}}}""", "tenants.acme.webhook: the url")]
    [InlineData("""{"acme": {"webhook": {"url": "https://h/x", "secret": "%s", "events": []}}}""", "unknown field \"events\"")]
    [InlineData("""{"acme": {"hook": {}}}""", "unknown field \"hook\"")]
    [InlineData("""{"acme": []}""", "tenants.acme must be an object")]
    public void AWebhookThatIsNotOneIsRefusedNamingTheTenantAndNotTheSecret(string tenants, string expected)
    {
        var error = Assert.Throws<FormatException>(() => Parse("{\"keys\": [], \"tenants\": " + tenants.Replace("%s", Secret, StringComparison.Ordinal) + "}"));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret[6..], error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AKeyIsFoundByItsHashAndOnlyByIt()
    {
        var keys = ApiKeySet.Of(Parse($$"""{"keys": [{{Entry()}}]}"""));

        Assert.Equal("acme-bot", keys.Find("key-a-0123456789abcdef")?.Id);
        Assert.Null(keys.Find("key-a-0123456789abcdeF"));
        Assert.Null(keys.Find(HashA));
        Assert.Equal(TenantId.Parse("acme"), Assert.Single(keys.Tenants));
    }

    [Fact]
    public void ARingKeepsTheLastGoodFileAndRefusesABrokenEditOnce()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, $$"""{"keys": [{{Entry()}}]}""");
            var ring = ApiKeyRing.Load(new BotStateCluster.Api.ApiOptions { ApiKeysFile = file });
            Assert.Equal(ReloadOutcome.Unchanged, ring.TryReload().Outcome);

            File.WriteAllText(file, """{"keys": [ broken""");
            var refused = ring.TryReload();
            Assert.Equal(ReloadOutcome.Refused, refused.Outcome);
            Assert.Equal(ReloadOutcome.Unchanged, ring.TryReload().Outcome);
            Assert.NotNull(ring.Current.Find("key-a-0123456789abcdef"));

            File.WriteAllText(file, $$"""{"keys": [{{Entry("b", sha256: HashB)}}]}""");
            Assert.Equal(ReloadOutcome.Reloaded, ring.TryReload().Outcome);
            Assert.Null(ring.Current.Find("key-a-0123456789abcdef"));
            Assert.Equal("b", ring.Current.Find("key-b-0123456789abcdef")?.Id);

            File.Delete(file);
            Assert.Equal(ReloadOutcome.Refused, ring.TryReload().Outcome);
            Assert.NotNull(ring.Current.Find("key-b-0123456789abcdef"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void ApiKeysBelongToTheDefaultTenantWithEveryScope()
    {
        var ring = ApiKeyRing.Load(new BotStateCluster.Api.ApiOptions { ApiKeys = "0123456789abcdef0" });

        var entry = ring.Current.Find("0123456789abcdef0");
        Assert.Equal(TenantId.Default, entry?.Tenant);
        Assert.Equal(ApiScopes.All, entry?.Scopes);
    }

    private static ApiKeyRing ApiKeyRingFor(string json)
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, json);
            return ApiKeyRing.Load(new BotStateCluster.Api.ApiOptions { ApiKeysFile = file });
        }
        finally
        {
            File.Delete(file);
        }
    }
}
