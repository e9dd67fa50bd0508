using System.Text.Json.Nodes;

namespace BotStateCluster.EndToEndTests;

/// <summary>
/// The committed OpenAPI contract (<c>clients/openapi/v1.json</c>) is what the code serves, through the gateway and from
/// a silo that serves the API itself: an API change carries its contract change in the same commit, and the clients
/// generated from or checked against the file describe the service as it is.
/// </summary>
public sealed class CommittedContractTests : IAsyncLifetime
{
    private readonly ServiceCluster _cluster = new(new Dictionary<string, string> { ["SILO_API_ENABLED"] = "true" });

    public Task InitializeAsync() => _cluster.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Theory]
    [MemberData(nameof(ServiceFixture.BothKinds), MemberType = typeof(ServiceFixture))]
    public async Task TheServedDocumentIsTheCommittedOne(ServiceKind kind)
    {
        var process = kind == ServiceKind.Silo ? _cluster.Silo : _cluster.Gateway;
        var served = JsonNode.Parse(await process.Http.GetStringAsync("/openapi/v1.json"));

        var differences = JsonDifferences.Between(CommittedContract.Document(), served);

        Assert.True(
            differences.Count == 0,
            $"The {kind} serves another OpenAPI document than {CommittedContract.RelativePath} (expected: committed, found: served). "
            + $"If the API change is meant, run {CommittedContract.RegenerateCommand} and commit the file with it.{Environment.NewLine}"
            + string.Join(Environment.NewLine, differences));
    }
}
