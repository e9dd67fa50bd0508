using BotStateCluster.ServiceDefaults;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace BotStateCluster.Api;

/// <summary>
/// Adds the probe and metrics paths to the OpenAPI document: they are served by health-check and
/// Prometheus middleware that the document generator does not see, yet clients rely on them too.
/// </summary>
internal sealed class OperationalPathsTransformer : IOpenApiDocumentTransformer
{
    private static readonly OperationalPath[] Paths =
    [
        new(HealthPaths.Health, "GetHealth", "Liveness: local and cheap, never touches the database or a grain", "Alive"),
        new(HealthPaths.Live, "GetLiveProbe", "Kubernetes liveness probe (same as /health)", "Alive"),
        new(HealthPaths.Readiness, "GetReadiness", "Readiness: database within READINESS_TIMEOUT, cluster connected, not shutting down", "Ready", Failed: "Not ready; the body names the failing check"),
        new(HealthPaths.Ready, "GetReadyProbe", "Kubernetes readiness probe (same as /readiness)", "Ready", Failed: "Not ready; the body names the failing check"),
        new(HealthPaths.Startup, "GetStartupProbe", "Kubernetes startup probe", "Started", Failed: "Still starting"),
        new(HealthPaths.Metrics, "GetMetrics", "Prometheus metrics (404 when METRICS_ENABLED is false)", "Prometheus text exposition format", Disabled: "Metrics are disabled (METRICS_ENABLED=false)"),
    ];

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Paths ??= [];
        foreach (var path in Paths)
        {
            var responses = new OpenApiResponses { ["200"] = new OpenApiResponse { Description = path.Ok } };
            if (path.Failed is not null)
            {
                responses["503"] = new OpenApiResponse { Description = path.Failed };
            }

            if (path.Disabled is not null)
            {
                responses["404"] = new OpenApiResponse { Description = path.Disabled };
            }

            document.Paths[path.Path] = new OpenApiPathItem
            {
                Operations = new Dictionary<HttpMethod, OpenApiOperation>
                {
                    // Open to probes and scrapers even when the API requires a key: an empty requirement says so.
                    [HttpMethod.Get] = new() { OperationId = path.OperationId, Summary = path.Summary, Responses = responses, Security = [] },
                },
            };
        }

        return Task.CompletedTask;
    }

    /// <summary>One path served outside the API's routes.</summary>
    /// <param name="Path">Where it is served.</param>
    /// <param name="OperationId">Its operation's stable name.</param>
    /// <param name="Summary">What it tells.</param>
    /// <param name="Ok">What a 200 means.</param>
    /// <param name="Failed">What a 503 means, when the path can answer one.</param>
    /// <param name="Disabled">What a 404 means, when a setting can turn the path off.</param>
    private sealed record OperationalPath(string Path, string OperationId, string Summary, string Ok, string? Failed = null, string? Disabled = null);
}
