using System.Text.Json.Nodes;

namespace BotStateCluster.EndToEndTests;

/// <summary>
/// The OpenAPI contract committed at <c>clients/openapi/v1.json</c> (DESIGN section 14), which
/// <c>scripts/update-openapi.sh</c> regenerates from the code.
/// </summary>
public static class CommittedContract
{
    /// <summary>The command that rewrites the committed document from what the code serves.</summary>
    public const string RegenerateCommand = "scripts/update-openapi.sh";

    /// <summary>Where the document is, from the repository root.</summary>
    public const string RelativePath = "clients/openapi/v1.json";

    public static JsonNode Document() => Read(RelativePath);

    /// <summary>The JSON file at <paramref name="relativePath"/> from the repository root.</summary>
    public static JsonNode Read(string relativePath) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(BuildOutput.RepositoryRoot, relativePath)))
        ?? throw new InvalidDataException($"{relativePath} holds JSON null.");
}
