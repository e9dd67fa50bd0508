using System.Reflection;
using BotStateCluster.Client.Http;

namespace BotStateCluster.UnitTests;

/// <summary>
/// The .NET HTTP client declares its coverage of the OpenAPI document by name: one public method per operationId,
/// called the operationId plus <c>Async</c>, and no other.
/// </summary>
public sealed class HttpClientOperationsTests
{
    // clients/openapi/clients.json registers this manifest; ClientCoverageTests holds it to the committed contract.
    private static readonly string Manifest = Path.Combine("clients", "dotnet", "BotStateCluster.Client.Http", "operations.json");

    [Fact]
    public void EveryOperationIdOfTheManifestHasItsMethodAndEveryMethodAnOperationId()
    {
        var declared = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot(), Manifest)))!["operations"]!.AsObject();
        var methods = typeof(BotStateHttpClient).GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Select(method => method.Name).Order().ToList();

        Assert.Equal(declared.Select(operation => $"{nameof(BotStateHttpClient)}.{operation.Key}Async").Order(), declared.Select(operation => operation.Value!.GetValue<string>()).Order());
        Assert.Equal(declared.Select(operation => operation.Key + "Async").Order(), methods);
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "BotStateCluster.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("The tests do not run inside the repository.");
    }
}
