namespace BotStateCluster.EndToEndTests;

/// <summary>
/// Code blocks of the repository's Markdown documents and the source regions they are copied from, so a test can
/// hold a snippet to code that compiles and runs. A block is named by the comment line above it,
/// <c>&lt;!-- snippet NAME: … --&gt;</c>; a region lies between the lines <c>// &lt;NAME&gt;</c> and <c>// &lt;/NAME&gt;</c>.
/// </summary>
public static class DocumentSnippets
{
    /// <summary>The lines of the code block named <paramref name="name"/> in <paramref name="document"/> (relative to the repository).</summary>
    public static IReadOnlyList<string> Block(string document, string name)
    {
        var lines = Read(document);
        var marker = Array.FindIndex(lines, line => line.TrimStart().StartsWith($"<!-- snippet {name}:", StringComparison.Ordinal));
        Assert.True(marker >= 0, $"{document} has no block marked <!-- snippet {name}: … -->");
        Assert.True(marker + 1 < lines.Length && lines[marker + 1].StartsWith("```", StringComparison.Ordinal), $"The snippet {name} of {document} is not followed by a code block.");
        var end = Array.FindIndex(lines, marker + 2, line => line.StartsWith("```", StringComparison.Ordinal));
        return lines[(marker + 2)..end];
    }

    /// <summary>The lines of the region <paramref name="name"/> of <paramref name="source"/>, without their common indentation.</summary>
    public static IReadOnlyList<string> Region(string source, string name)
    {
        var lines = Read(source);
        var start = Array.FindIndex(lines, line => line.Trim() == $"// <{name}>");
        var end = Array.FindIndex(lines, line => line.Trim() == $"// </{name}>");
        Assert.True(start >= 0 && end > start, $"{source} has no region // <{name}> … // </{name}>");
        var region = lines[(start + 1)..end];
        var indent = region.Where(line => line.Trim().Length > 0).Min(line => line.Length - line.TrimStart().Length);
        return [.. region.Select(line => line.Length >= indent ? line[indent..] : line.TrimStart())];
    }

    private static string[] Read(string path) =>
        File.ReadAllLines(Path.Combine(BuildOutput.RepositoryRoot, path));
}
