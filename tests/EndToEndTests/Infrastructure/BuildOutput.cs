namespace BotStateCluster.EndToEndTests;

/// <summary>Finds the silo and gateway assemblies built alongside the tests, in the same configuration.</summary>
public static class BuildOutput
{
    private const string SolutionFile = "BotStateCluster.sln";
    private const string TargetFramework = "net10.0";
    private static readonly string[] Configurations = ["Debug", "Release"];

    /// <summary>The directory holding <c>BotStateCluster.sln</c>.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>The configuration the tests were built with, read from the test assembly's path.</summary>
    public static string Configuration { get; } = FindConfiguration();

    /// <summary>The entry assembly of <paramref name="kind"/>, e.g. <c>Silo/bin/Debug/net10.0/BotStateCluster.Silo.dll</c>.</summary>
    public static string AssemblyOf(ServiceKind kind)
    {
        var project = kind == ServiceKind.WebhookReceiver ? Path.Combine("tests", kind.ToString()) : kind.ToString();
        var path = Path.Combine(RepositoryRoot, project, "bin", Configuration, TargetFramework, $"BotStateCluster.{kind}.dll");
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"{path} does not exist: build the tests (dotnet build tests/EndToEndTests -c {Configuration}), which builds the {kind} first.", path);
    }

    private static string TestAssemblyDirectory => Path.GetDirectoryName(typeof(BuildOutput).Assembly.Location)!;

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(TestAssemblyDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, SolutionFile)))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No directory above {TestAssemblyDirectory} holds {SolutionFile}.");
    }

    private static string FindConfiguration()
    {
        var segments = TestAssemblyDirectory.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        return segments.LastOrDefault(segment => Configurations.Contains(segment, StringComparer.OrdinalIgnoreCase))
            ?? throw new InvalidOperationException($"The test assembly directory {TestAssemblyDirectory} names no configuration ({string.Join(" or ", Configurations)}).");
    }
}
