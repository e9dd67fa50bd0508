using System.Diagnostics;
using System.IO.Compression;
using System.Xml.Linq;

namespace BotStateCluster.EndToEndTests;

/// <summary><c>dotnet pack</c> of the .NET client library and the contract it needs, as CI builds them.</summary>
public sealed class ClientPackageTests : IDisposable
{
    private readonly string _output = Directory.CreateTempSubdirectory("botstate-pack-").FullName;

    [Fact]
    public async Task TheClientPacksWithVersionLicenseDescriptionAndNoAspNetDependency()
    {
        await PackAsync(Path.Combine("Grains.Interfaces", "Grains.Interfaces.csproj"));
        await PackAsync(Path.Combine("clients", "dotnet", "BotStateCluster.Client", "BotStateCluster.Client.csproj"));

        var client = Nuspec("BotStateCluster.Client");
        Assert.False(string.IsNullOrWhiteSpace(Metadata(client, "version")));
        Assert.False(string.IsNullOrWhiteSpace(Metadata(client, "description")));
        Assert.False(string.IsNullOrWhiteSpace(Metadata(client, "license")));
        var dependencies = client.Descendants().Where(element => element.Name.LocalName == "dependency").Select(element => (string)element.Attribute("id")!).ToList();
        Assert.Contains("BotStateCluster.Grains.Interfaces", dependencies);
        Assert.Contains("Microsoft.Orleans.Client", dependencies);
        Assert.DoesNotContain(dependencies, id => id.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal) || id.StartsWith("prometheus", StringComparison.Ordinal));
        Assert.DoesNotContain(client.Descendants(), element => element.Name.LocalName == "frameworkReference");
        Assert.Equal(Metadata(client, "version"), Metadata(Nuspec("BotStateCluster.Grains.Interfaces"), "version"));
    }

    [Fact]
    public async Task TheHttpClientPacksWithTheResiliencePackageAndNeitherOrleansNorTheGrainContract()
    {
        await PackAsync(Path.Combine("clients", "dotnet", "BotStateCluster.Client.Http", "BotStateCluster.Client.Http.csproj"));

        var client = Nuspec("BotStateCluster.Client.Http");
        Assert.False(string.IsNullOrWhiteSpace(Metadata(client, "description")));
        Assert.Equal("MIT", Metadata(client, "license"));
        Assert.Equal("README.md", Metadata(client, "readme"));
        var dependencies = client.Descendants().Where(element => element.Name.LocalName == "dependency").Select(element => (string)element.Attribute("id")!).ToList();
        Assert.Contains("Microsoft.Extensions.Http.Resilience", dependencies);
        Assert.DoesNotContain(dependencies, id => id.Contains("Orleans", StringComparison.Ordinal) || id.StartsWith("BotStateCluster", StringComparison.Ordinal) || id.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
        Assert.DoesNotContain(client.Descendants(), element => element.Name.LocalName == "frameworkReference");
    }

    public void Dispose() => Directory.Delete(_output, recursive: true);

    private static string? Metadata(XDocument nuspec, string name) =>
        nuspec.Descendants().FirstOrDefault(element => element.Name.LocalName == name)?.Value;

    private XDocument Nuspec(string packageId)
    {
        var package = Directory.GetFiles(_output, $"{packageId}.*.nupkg").Single(path => !path.EndsWith(".symbols.nupkg", StringComparison.Ordinal));
        using var archive = ZipFile.OpenRead(package);
        using var nuspec = archive.GetEntry($"{packageId}.nuspec")!.Open();
        return XDocument.Load(nuspec);
    }

    private async Task PackAsync(string project)
    {
        // Packs what the build already produced, in the tests' configuration.
        var start = new ProcessStartInfo("dotnet", ["pack", Path.Combine(BuildOutput.RepositoryRoot, project), "-c", BuildOutput.Configuration, "--no-build", "--nologo", "-o", _output])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(deadline.Token);
        Assert.True(process.ExitCode == 0, $"dotnet pack {project} exited {process.ExitCode}: {await output}{await error}");
    }
}
