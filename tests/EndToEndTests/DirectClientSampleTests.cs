using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;

namespace BotStateCluster.EndToEndTests;

/// <summary>The sample .NET client, run as its own process against the running cluster.</summary>
[Collection(ServiceCollection.Name)]
public sealed class DirectClientSampleTests(ServiceFixture services)
{
    [Fact]
    public async Task ANetServiceCallsTheGrainDirectlyAndTheGatewaySeesTheTurn()
    {
        var user = ApiClient.NewUserId("direct");
        var dll = Path.Combine(BuildOutput.RepositoryRoot, "tests", "DirectClientSample", "bin", BuildOutput.Configuration, "net10.0", "BotStateCluster.DirectClientSample.dll");
        // A plain .NET console app: the client library brings neither the ASP.NET Core framework, nor SQLite, nor
        // prometheus-net (Orleans' networking needs only the small Microsoft.AspNetCore.Connections.Abstractions package).
        Assert.DoesNotContain("Microsoft.AspNetCore.App", await File.ReadAllTextAsync(Path.ChangeExtension(dll, ".runtimeconfig.json")), StringComparison.Ordinal);
        var dependencies = await File.ReadAllTextAsync(Path.ChangeExtension(dll, ".deps.json"));
        Assert.DoesNotContain("Microsoft.Data.Sqlite", dependencies, StringComparison.Ordinal);
        Assert.DoesNotContain("prometheus-net", dependencies, StringComparison.Ordinal);
        var start = new ProcessStartInfo("dotnet", [dll, user, "hello from .NET"]) { RedirectStandardOutput = true, RedirectStandardError = true };
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
        Assert.Equal(1, printed["version"]!.GetValue<int>());
        var state = (await services.Api.GetStateAsync(user)).ShouldBe(HttpStatusCode.OK);
        Assert.Equal("hello from .NET", state.Json["user_message"]!["text"]!.GetValue<string>());
        Assert.Equal("direct-client", state.Json["context"]!["via"]!.GetValue<string>());
    }
}
