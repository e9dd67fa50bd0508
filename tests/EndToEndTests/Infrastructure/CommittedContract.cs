using System.Text.Json.Nodes;

namespace BotStateCluster.EndToEndTests;

/// <summary>
/// The OpenAPI contract committed at <c>clients/openapi/v1.json</c> (DESIGN section 14), which
/// <c>scripts/update-openapi.sh</c> regenerates from the code, and the registry of the clients built against it.
/// </summary>
public static class CommittedContract
{
    /// <summary>The command that rewrites the committed document from what the code serves.</summary>
    public const string RegenerateCommand = "scripts/update-openapi.sh";

    /// <summary>Where the document is, from the repository root.</summary>
    public const string RelativePath = "clients/openapi/v1.json";

    /// <summary>Where the clients are registered, from the repository root: <c>{"clients": {name: manifest path}}</c>.</summary>
    public const string RegistryPath = "clients/openapi/clients.json";

    /// <summary>The prefix of the operations every client implements; the probes and metrics are for orchestrators and scrapers.</summary>
    public const string ClientPathPrefix = "/v1/";

    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];

    public static JsonNode Document() => Read(RelativePath);

    /// <summary>The operationIds under <see cref="ClientPathPrefix"/>, each with its method and path for messages.</summary>
    public static IReadOnlyDictionary<string, string> ClientOperations()
    {
        var operations = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (path, item) in Document()["paths"]!.AsObject().Where(path => path.Key.StartsWith(ClientPathPrefix, StringComparison.Ordinal)))
        {
            foreach (var method in Methods.Where(method => item![method] is not null))
            {
                var id = item![method]!["operationId"]?.GetValue<string>()
                    ?? throw new InvalidDataException($"{RelativePath}: {method.ToUpperInvariant()} {path} has no operationId, which clients name operations by.");
                operations.Add(id, $"{method.ToUpperInvariant()} {path}");
            }
        }

        return operations;
    }

    /// <summary>The registered clients and the repository-relative path of each one's manifest.</summary>
    public static IReadOnlyDictionary<string, string> Clients() =>
        Read(RegistryPath)["clients"]!.AsObject().ToDictionary(client => client.Key, client => client.Value!.GetValue<string>(), StringComparer.Ordinal);

    /// <summary>The JSON file at <paramref name="relativePath"/> from the repository root.</summary>
    public static JsonNode Read(string relativePath) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(BuildOutput.RepositoryRoot, relativePath)))
        ?? throw new InvalidDataException($"{relativePath} holds JSON null.");
}
