namespace BotStateCluster.EndToEndTests;

/// <summary>
/// Every client registered in <c>clients/openapi/clients.json</c> implements every operation of the committed contract
/// under <c>/v1/</c>. A client declares what it implements in its manifest, <c>{"operations": {operationId: entry
/// point}}</c>; the client's own tests hold that manifest to its code. An operation added to the API fails this test
/// for each client until the client implements it and says so.
/// </summary>
public sealed class ClientCoverageTests
{
    public static TheoryData<string> Clients => [.. CommittedContract.Clients().Keys];

    [Theory]
    [MemberData(nameof(Clients))]
    public void TheClientImplementsEveryOperationOfTheContract(string client)
    {
        var manifestPath = CommittedContract.Clients()[client];
        var declared = CommittedContract.Read(manifestPath)["operations"]!.AsObject()
            .ToDictionary(operation => operation.Key, operation => operation.Value?.GetValue<string>(), StringComparer.Ordinal);

        var problems = Problems(declared, CommittedContract.ClientOperations());

        Assert.True(
            problems.Count == 0,
            $"The {client} client ({manifestPath}) does not match {CommittedContract.RelativePath}:{Environment.NewLine}{string.Join(Environment.NewLine, problems)}");
    }

    [Fact]
    public void AnOperationAClientDoesNotDeclareFailsTheCheck()
    {
        var operations = CommittedContract.ClientOperations();
        var declared = operations.Keys.Where(id => id != "PostMessage").ToDictionary(id => id, id => (string?)$"client.{id}", StringComparer.Ordinal);
        declared["GetNothing"] = "client.getNothing";

        var problems = Problems(declared, operations);

        Assert.Equal(["PostMessage (POST /v1/states/{userId}/messages): not implemented", "GetNothing: declared, but the contract has no such operation"], problems);
    }

    private static List<string> Problems(IReadOnlyDictionary<string, string?> declared, IReadOnlyDictionary<string, string> operations) =>
    [
        .. operations.Keys.Where(id => !declared.ContainsKey(id)).Select(id => $"{id} ({operations[id]}): not implemented"),
        .. declared.Keys.Where(id => !operations.ContainsKey(id)).Select(id => $"{id}: declared, but the contract has no such operation"),
        .. declared.Where(operation => string.IsNullOrWhiteSpace(operation.Value)).Select(operation => $"{operation.Key}: no entry point named"),
    ];
}
