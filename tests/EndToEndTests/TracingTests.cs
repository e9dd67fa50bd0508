using System.Net;
using System.Text.RegularExpressions;

namespace BotStateCluster.EndToEndTests;

/// <summary>
/// OpenTelemetry across the real processes: the gateway's HTTP span, the grain call propagated into the silo,
/// and the silo's SQL command share one trace. The hosts print spans with <c>OTEL_TRACES_EXPORTER=console</c>.
/// </summary>
public sealed partial class TracingTests : IAsyncLifetime
{
    private readonly List<ServiceProcess> _processes = [];
    private readonly string _clusterId = $"trace-{Guid.NewGuid():N}";
    private readonly string _directory = Directory.CreateTempSubdirectory("botstate-trace-").FullName;
    private PostgresDatabase? _database;

    [Fact]
    public async Task OneTurnIsOneTraceThroughTheGatewayTheGrainCallAndTheSqlCommand()
    {
        var silo = Launch(ServiceKind.Silo);
        await silo.WaitUntilReadyAsync();
        var gateway = Launch(ServiceKind.Gateway);
        await gateway.WaitUntilReadyAsync();
        var user = ApiClient.NewUserId("trace");

        (await new ApiClient(gateway.Http, Describe).PostMessageAsync(user, "trace me")).ShouldBe(HttpStatusCode.OK);

        Span? request = null;
        await Poll.UntilAsync("the gateway to export the turn's HTTP span", TimeSpan.FromSeconds(30), () =>
        {
            request = Spans(gateway).FirstOrDefault(span => span.Source == "Microsoft.AspNetCore" && span.Name.Contains("/messages", StringComparison.Ordinal));
            return Task.FromResult(request is not null);
        }, Describe);
        var trace = request!.TraceId;
        await Poll.UntilAsync($"the silo to export the grain call and its SQL commands in trace {trace}", TimeSpan.FromSeconds(30), () =>
            Task.FromResult(Spans(silo).Any(span => span.TraceId == trace && span.Source == "Microsoft.Orleans.Application")
                && Spans(silo).Any(span => span.TraceId == trace && span.Source == "Npgsql")), Describe);

        // The gateway's side of the grain call belongs to the same trace, and no user id leaves in a span name.
        Assert.Contains(Spans(gateway), span => span.TraceId == trace && span.Source == "Microsoft.Orleans.Application");
        Assert.DoesNotContain(Spans(gateway).Concat(Spans(silo)), span => span.Name.Contains(user, StringComparison.Ordinal));
    }

    public async Task InitializeAsync() => _database = await PostgresDatabase.CreateAsync();

    public async Task DisposeAsync()
    {
        foreach (var process in _processes.OrderBy(process => process.Kind == ServiceKind.Silo))
        {
            await process.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }

    // The console exporter prints one block per span: "Activity.TraceId: …", "Activity.DisplayName: …", and the
    // source as "Name: …" under "Instrumentation scope (ActivitySource):" (older: "ActivitySource.Name: …").
    private static IReadOnlyList<Span> Spans(ServiceProcess process) =>
        [.. process.Output.Split("Activity.TraceId:").Skip(1).Select(block => new Span(
            block.Split('\n')[0].Trim(),
            DisplayName().Match(block) is { Success: true } name ? name.Groups[1].Value.Trim() : "",
            SourceName().Match(block) is { Success: true } source ? source.Groups[1].Value.Trim() : ""))];

    private ServiceProcess Launch(ServiceKind kind)
    {
        var environment = new Dictionary<string, string>
        {
            ["DB_URL"] = _database!.Url,
            // One silo: the point is the trace, not membership.
            ["CLUSTERING"] = "localhost",
            ["ORLEANS_CLUSTER_ID"] = _clusterId,
            ["SILO_PORT"] = SiloPort,
            ["GATEWAY_PORT"] = GatewayPort,
            ["LOG_FORMAT"] = "text",
            ["OTEL_TRACES_EXPORTER"] = "console",
            ["DASHBOARD_ENABLED"] = "false",
        };
        var process = ServiceProcess.Start(kind, new Uri($"http://127.0.0.1:{FreePort.Next()}"), environment, _directory);
        _processes.Add(process);
        return process;
    }

    private string SiloPort { get; } = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);

    private string GatewayPort { get; } = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);

    private string Describe() => string.Join(Environment.NewLine, _processes.Select(process => process.Describe(60)));

    [GeneratedRegex(@"Activity\.DisplayName:\s*(.+)")]
    private static partial Regex DisplayName();

    [GeneratedRegex(@"(?:ActivitySource\.Name|^\s+Name):\s*(\S+)", RegexOptions.Multiline)]
    private static partial Regex SourceName();

    private sealed record Span(string TraceId, string Name, string Source);
}
