using System.Text.Json;

namespace BotStateCluster.ServiceDefaults;

/// <summary>
/// The one list of environment variables the processes read, from <c>EnvironmentVariables.json</c>
/// (embedded here, and read by <c>deploy/check_compose.py</c>): the tests, the manifest checks and the
/// compose check all take it from there, so a new variable is added in one place.
/// </summary>
public static class EnvironmentVariables
{
    private static readonly Lazy<Document> List = new(Load);

    /// <summary>Every variable by name.</summary>
    public static IReadOnlyList<string> Names => [.. List.Value.Variables.Select(variable => variable.Name)];

    /// <summary>Families the frameworks read as a whole (<c>ASPNETCORE_*</c>, <c>OTEL_*</c>).</summary>
    public static IReadOnlyList<string> Prefixes => List.Value.Prefixes;

    /// <summary>Whether a process of the service reads <paramref name="name"/>.</summary>
    public static bool IsRead(string name) =>
        Names.Contains(name, StringComparer.Ordinal) || Prefixes.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal));

    private static Document Load()
    {
        using var stream = typeof(EnvironmentVariables).Assembly.GetManifestResourceStream("EnvironmentVariables.json")
            ?? throw new InvalidOperationException("EnvironmentVariables.json is not embedded in ServiceDefaults.");
        return JsonSerializer.Deserialize<Document>(stream, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower })
            ?? throw new InvalidOperationException("EnvironmentVariables.json is empty.");
    }

    private sealed record Document(IReadOnlyList<string> Prefixes, IReadOnlyList<Variable> Variables);

    private sealed record Variable(string Name, IReadOnlyList<string> ReadBy);
}
