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
    private static readonly (string Path, string Summary, string Ok, string? Failed)[] Paths =
    [
        (HealthPaths.Health, "Liveness: local and cheap, never touches the database or a grain", "Alive", null),
        (HealthPaths.Live, "Kubernetes liveness probe (same as /health)", "Alive", null),
        (HealthPaths.Readiness, "Readiness: database within READINESS_TIMEOUT, cluster connected, not shutting down", "Ready", "Not ready; the body names the failing check"),
        (HealthPaths.Ready, "Kubernetes readiness probe (same as /readiness)", "Ready", "Not ready; the body names the failing check"),
        (HealthPaths.Startup, "Kubernetes startup probe", "Started", "Still starting"),
        (HealthPaths.Metrics, "Prometheus metrics (404 when METRICS_ENABLED is false)", "Prometheus text exposition format", null),
    ];

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Paths ??= [];
        foreach (var (path, summary, ok, failed) in Paths)
        {
            var responses = new OpenApiResponses { ["200"] = new OpenApiResponse { Description = ok } };
            if (failed is not null)
            {
                responses["503"] = new OpenApiResponse { Description = failed };
            }

            document.Paths[path] = new OpenApiPathItem
            {
                Operations = new Dictionary<HttpMethod, OpenApiOperation>
                {
                    [HttpMethod.Get] = new() { Summary = summary, Responses = responses },
                },
            };
        }

        return Task.CompletedTask;
    }
}
