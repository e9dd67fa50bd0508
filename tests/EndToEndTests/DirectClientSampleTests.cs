using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;

namespace BotStateCluster.EndToEndTests;

/// <summary>The sample .NET client, run as its own process against the running cluster, and the documents that show it.</summary>
[Collection(ServiceCollection.Name)]
public sealed class DirectClientSampleTests(ServiceFixture services)
{
    private const string Sample = "tests/DirectClientSample/Program.cs";

    [Theory]
    [InlineData("clients/dotnet/README.md")]
    [InlineData("docs/clients.md")]
    public void TheDocumentsShowTheSampleWordForWord(string document) =>
        Assert.Equal(DocumentSnippets.Region(Sample, "readme"), DocumentSnippets.Block(document, "orleans-client"));

    [Fact]
    public async Task ANetServiceCallsTheGrainDirectlyAndTheGatewaySeesTheTurn()
    {
        // The sample is the documents' snippet, which names its user.
        const string user = "user-1";
        var dll = Path.Combine(BuildOutput.RepositoryRoot, "tests", "DirectClientSample", "bin", BuildOutput.Configuration, "net10.0", "BotStateCluster.DirectClientSample.dll");
        // A plain .NET console app: the client library brings neither the ASP.NET Core framework, nor SQLite, nor
        // prometheus-net (Orleans' networking needs only the small Microsoft.AspNetCore.Connections.Abstractions package).
        Assert.DoesNotContain("Microsoft.AspNetCore.App", await File.ReadAllTextAsync(Path.ChangeExtension(dll, ".runtimeconfig.json")), StringComparison.Ordinal);
        var dependencies = await File.ReadAllTextAsync(Path.ChangeExtension(dll, ".deps.json"));
        Assert.DoesNotContain("Microsoft.Data.Sqlite", dependencies, StringComparison.Ordinal);
        Assert.DoesNotContain("prometheus-net", dependencies, StringComparison.Ordinal);
        var start = new ProcessStartInfo("dotnet", [dll]) { RedirectStandardOutput = true, RedirectStandardError = true };
        // Only the printed result on standard output: the host's console logger writes there too.
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["DB_URL"] = $"sqlite:///{services.Cluster.DatabaseFile}";
        start.Environment["GATEWAY_PORT"] = services.Cluster.GatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["SILO_PORT"] = services.Cluster.SiloPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["ORLEANS_CLUSTER_ID"] = services.Cluster.ClusterId;

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(deadline.Token);

        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {await output}{await error}");
        var printed = JsonNode.Parse(await output)!;
        var state = (await services.Api.GetStateAsync(user)).ShouldBe(HttpStatusCode.OK);
        Assert.Equal(state.Version, printed["version"]!.GetValue<int>());
        Assert.Equal("hi", state.Json["user_message"]!["text"]!.GetValue<string>());
        Assert.Equal("direct-client", state.Json["context"]!["via"]!.GetValue<string>());
    }
}
