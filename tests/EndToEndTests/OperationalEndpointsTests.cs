using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;

namespace BotStateCluster.EndToEndTests;

/// <summary>Probes, metrics, OpenAPI and the dashboard, on the listeners of both processes.</summary>
[Collection(ServiceCollection.Name)]
public sealed class OperationalEndpointsTests(ServiceFixture services)
{
    [Theory]
    [MemberData(nameof(ServiceFixture.BothKinds), MemberType = typeof(ServiceFixture))]
    public async Task EveryProbeAnswers200AndReadinessNamesItsChecks(ServiceKind kind)
    {
        var http = services.Listener(kind);
        foreach (var path in new[] { "/health", "/health/live", "/readiness", "/health/ready", "/health/startup" })
        {
            using var response = await http.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{kind} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        var readiness = JsonNode.Parse(await http.GetStringAsync("/readiness"))!["checks"]!.AsObject();
        Assert.Contains("database", readiness.Select(check => check.Key));
        Assert.Contains("cluster", readiness.Select(check => check.Key));
        Assert.Contains("shutdown", readiness.Select(check => check.Key));
        var liveness = JsonNode.Parse(await http.GetStringAsync("/health"))!["checks"]!.AsObject();
        Assert.DoesNotContain("database", liveness.Select(check => check.Key));
    }

    [Theory]
    [MemberData(nameof(ServiceFixture.BothKinds), MemberType = typeof(ServiceFixture))]
    public async Task MetricsAreValidPrometheusTextWithoutUserIds(ServiceKind kind)
    {
        var user = ApiClient.NewUserId("metrics");
        (await services.Api.PostMessageAsync(user, "count me")).ShouldBe(HttpStatusCode.OK);

        // Readiness is published to the metric periodically, not at the scrape.
        var metrics = "";
        await Poll.UntilAsync($"{kind} /metrics to report botstate_ready 1", TimeSpan.FromSeconds(30), async () =>
        {
            metrics = await services.Listener(kind).GetStringAsync("/metrics");
            return metrics.Contains("\nbotstate_ready 1", StringComparison.Ordinal);
        });

        Assert.Contains("http_request_duration_seconds", metrics);
        Assert.Contains(kind == ServiceKind.Gateway ? "botstate_grain_call_duration_seconds" : "# TYPE botstate_turns_total counter", metrics);
        Assert.Contains("microsoft_orleans_", metrics);
        Assert.DoesNotContain(user, metrics);
        var (exitCode, output) = await PromtoolCheckAsync(metrics);
        Assert.True(exitCode == 0, $"promtool check metrics exited {exitCode}: {output}");
    }

    [Fact]
    public async Task TheOpenApiDocumentListsTheApiAndTheProbes()
    {
        var paths = JsonNode.Parse(await services.Gateway.Http.GetStringAsync("/openapi/v1.json"))!["paths"]!.AsObject().Select(path => path.Key).ToList();

        Assert.Contains("/v1/states/{userId}", paths);
        Assert.Contains("/v1/states/{userId}/messages", paths);
        Assert.Contains("/v1/states/{userId}/history", paths);
        Assert.Contains("/v1/states/{userId}/active-intent", paths);
        Assert.Contains("/v1/states", paths);
        Assert.Contains("/v1/states/{userId}/export", paths);
        Assert.Contains("/v1/erasures", paths);
        Assert.Contains("/readiness", paths);
        Assert.Contains("/metrics", paths);
    }

    [Fact]
    public async Task TheSiloServesTheOrleansDashboard()
    {
        using var response = await services.Silo.Http.GetAsync("/dashboard/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Orleans Dashboard", await response.Content.ReadAsStringAsync());
    }

    private static async Task<(int ExitCode, string Output)> PromtoolCheckAsync(string metrics)
    {
        var start = new ProcessStartInfo("promtool", ["check", "metrics"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("promtool did not start (apt-get install prometheus).");
        await process.StandardInput.WriteAsync(metrics);
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(deadline.Token);
        return (process.ExitCode, output);
    }
}
