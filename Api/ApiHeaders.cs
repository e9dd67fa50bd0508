using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace BotStateCluster.Api;

/// <summary>The response headers of the API, and their description in the OpenAPI document.</summary>
internal static class ApiHeaders
{
    public const string IdempotentReplayed = "Idempotent-Replayed";

    // The answers that carry a state and its version, as the route generator writes their paths (without the leading
    // slash; the group's own routes with a trailing one, which Path trims): the state itself, a turn, a restore and a fork.
    private static readonly string StatePath = $"v1/states/{{{RoutedUserId.RouteParameter}}}";
    private static readonly string TurnPath = StatePath + "/messages";
    private static readonly string[] StateAnswerPaths = [StatePath, TurnPath, StatePath + "/restore", StatePath + "/fork"];

    /// <summary>
    /// Describes the response headers the handlers set, which the document generator cannot see:
    /// <c>ETag</c> on every state answer, <c>Idempotent-Replayed</c> on a turn, <c>Retry-After</c> on a 503,
    /// <c>WWW-Authenticate</c> on a 401, <c>Retry-After</c> on a 429.
    /// </summary>
    public static Task DescribeAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var (status, response) in operation.Responses ?? [])
        {
            if (response is not OpenApiResponse described)
            {
                continue;
            }

            if (status is "200" or "201" or "304" && IsStateAnswer(context))
            {
                Add(described, "ETag", "The stored version of the state, a strong validator (\"3\"): send it back in If-Match.");
            }

            if (status == "200" && Path(context) == TurnPath)
            {
                Add(described, IdempotentReplayed, "true when the answer repeats the first result of the same Idempotency-Key.");
            }

            if (status == "503")
            {
                Add(described, "Retry-After", "Seconds to wait before retrying; nothing was acknowledged.", JsonSchemaType.Integer);
            }

            if (status == "429")
            {
                Add(described, "Retry-After", "Seconds until the API key's rate limit lets a request through again.", JsonSchemaType.Integer);
            }

            if (status == "401")
            {
                Add(described, "WWW-Authenticate", "Bearer: send the key as Authorization: Bearer <key> or X-API-Key: <key>.");
            }
        }

        return Task.CompletedTask;
    }

    private static bool IsStateAnswer(OpenApiOperationTransformerContext context) => StateAnswerPaths.Contains(Path(context));

    private static string? Path(OpenApiOperationTransformerContext context) => context.Description.RelativePath?.TrimEnd('/');

    private static void Add(OpenApiResponse response, string name, string description, JsonSchemaType type = JsonSchemaType.String)
    {
        response.Headers ??= new Dictionary<string, IOpenApiHeader>();
        response.Headers[name] = new OpenApiHeader { Description = description, Schema = new OpenApiSchema { Type = type } };
    }
}
