using System.Net;
using static BotStateCluster.EndToEndTests.TenantKeys;

namespace BotStateCluster.EndToEndTests;

/// <summary>
/// API_KEYS_FILE while the service runs: a removed tenant's keys are refused within 5 s without a restart, a broken
/// edit is logged once and leaves the last good keys in force; and at start-up, a file that cannot be used stops the
/// process with one line naming the entry.
/// </summary>
public sealed class KeyFileTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(60);
    private readonly SqliteTenantServices _services = new();

    [Fact]
    public async Task ARemovedTenantsKeysAreRefusedWithinSecondsAndABrokenEditKeepsTheLastGoodFile()
    {
        var user = ApiClient.NewUserId("revoked");
        foreach (var api in _services.Apis)
        {
            (await api.PostMessageAsync(user, "before", null, Bearer(Doomed))).ShouldBe(HttpStatusCode.OK);
        }

        await File.WriteAllTextAsync(_services.KeyFile, TenantKeys.FileJson(keep: tenant => tenant != "doomed"));
        var removed = DateTime.UtcNow;
        foreach (var api in _services.Apis)
        {
            await Poll.UntilAsync("the removed tenant's key to be refused", Deadline - (DateTime.UtcNow - removed),
                async () => (await api.GetStateAsync(user, Bearer(Doomed))).Status == HttpStatusCode.Unauthorized, _services.Cluster.Describe);
            (await api.GetStateAsync(user, Bearer(AcmeAll))).ShouldBeProblem(HttpStatusCode.NotFound);
        }

        await File.WriteAllTextAsync(_services.KeyFile, """{"keys": [ {"id": "half-written" """);
        foreach (var process in new[] { _services.Cluster.Silo, _services.Cluster.Gateway })
        {
            await Poll.UntilAsync("the broken edit to be logged", Deadline, () => Task.FromResult(process.Output.Contains("API_KEYS_FILE changed but cannot be used", StringComparison.Ordinal)), _services.Cluster.Describe);
        }

        foreach (var api in _services.Apis)
        {
            (await api.PostMessageAsync(ApiClient.NewUserId("still"), "works", null, Bearer(AcmeAll))).ShouldBe(HttpStatusCode.OK);
            (await api.GetStateAsync(user, Bearer(Doomed))).ShouldBeProblem(HttpStatusCode.Unauthorized);
        }

        // Logged once (the ring refuses a content once: unit-tested), and never with a key or a hash in it.
        foreach (var process in new[] { _services.Cluster.Silo, _services.Cluster.Gateway })
        {
            Assert.Single(process.Output.Split('\n'), line => line.Contains("cannot be used", StringComparison.Ordinal));
            Assert.DoesNotContain(Sha256(AcmeAll), process.Output, StringComparison.Ordinal);
            Assert.DoesNotContain(AcmeAll, process.Output, StringComparison.Ordinal);
        }
    }

    public static TheoryData<string, string> UnusableFiles => new()
    {
        { Entries(Entry("slash", "acme/x", ["read"], Sha256("a-key-of-sixteen-chars-1"))), "keys[0] ('slash'): a tenant id is" },
        { Entries(Entry("percent", "acme%2f", ["read"], Sha256("a-key-of-sixteen-chars-2"))), "keys[0] ('percent'): a tenant id is" },
        { Entries(Entry("upper", "Acme", ["read"], Sha256("a-key-of-sixteen-chars-3"))), "keys[0] ('upper'): a tenant id is" },
        { Entries(Entry("long", new string('a', 65), ["read"], Sha256("a-key-of-sixteen-chars-4"))), "keys[0] ('long'): a tenant id is" },
        { Entries(Entry("one", "acme", ["read"], Sha256("a-key-of-sixteen-chars-5")), Entry("two", "beta", ["read"], Sha256("a-key-of-sixteen-chars-5"))), "the keys 'one' and 'two' are the same key" },
    };

    [Theory]
    [MemberData(nameof(UnusableFiles))]
    public async Task AnUnusableKeyFileStopsStartUpWithOneLineNamingTheEntry(string file, string expected)
    {
        var path = Path.Combine(_services.Cluster.Directory, $"bad-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, file);

        var gateway = _services.Cluster.Launch(ServiceKind.Gateway, new Dictionary<string, string> { ["API_KEYS_FILE"] = path });

        Assert.True(await gateway.WaitForExitAsync(ExitTimeout), gateway.Describe());
        Assert.True(gateway.ExitCode == 2, gateway.Describe());
        var line = Assert.Single(gateway.StandardError, text => !string.IsNullOrWhiteSpace(text));
        Assert.StartsWith("configuration error:", line, StringComparison.Ordinal);
        Assert.Contains("API_KEYS_FILE", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain(Sha256("a-key-of-sixteen-chars-5"), gateway.Output, StringComparison.Ordinal);
    }

    private static string Entries(params System.Text.Json.Nodes.JsonObject[] entries) =>
        new System.Text.Json.Nodes.JsonObject { ["keys"] = new System.Text.Json.Nodes.JsonArray([.. entries]) }.ToJsonString();

    public Task InitializeAsync() => _services.InitializeAsync();

    public Task DisposeAsync() => _services.DisposeAsync();
}
