using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace BotStateCluster.Api;

/// <summary>
/// The document's title, introduction, server and tags, and how a client authenticates: the two ways of sending an API
/// key, required by every <c>/v1</c> operation. The document is the same whether keys are configured or not, so that the
/// committed copy matches every deployment; without keys the service accepts requests without one.
/// </summary>
internal sealed class DocumentInfoTransformer : IOpenApiDocumentTransformer
{
    public const string Title = "BotStateCluster API";

    public const string BearerScheme = "bearer";

    public const string ApiKeyScheme = "apiKey";

    private const string Introduction =
        "Conversation state for chatbots: one state per user id, the JSON of the Python ai-chatbot-framework's State. "
        + "A turn (POST /v1/states/{userId}/messages) applies a user message; ETags are the stored version and If-Match makes writes conditional; "
        + "an Idempotency-Key makes a retried turn safe. Errors are RFC 9457 problem+json with a stable type (urn:botstate:problem:…).\n\n"
        + "Authentication: when the service has API keys (API_KEYS or API_KEYS_FILE), every /v1 request sends one as "
        + "'Authorization: Bearer <key>' or 'X-API-Key: <key>'. The key decides the tenant: a user id names a conversation of the caller's tenant, "
        + "and another tenant's conversations do not exist for it (404). Scopes: read, write, privacy (export and bulk erasure). "
        + "Without keys configured the API is open and every conversation belongs to the tenant 'default'.";

    // What each group of operations (the tags of StatesApi, ConversationsApi, TimeTravelApi and ChangesApi) is for, shown by API references.
    private static readonly Dictionary<string, string> TagDescriptions = new(StringComparer.Ordinal)
    {
        ["States"] = "One conversation: its state, turns, history and active intent.",
        ["Conversations"] = "Every conversation of the caller's tenant: listing, export and bulk erasure.",
        ["Time travel"] = "One conversation's kept versions: read a snapshot, restore it as a new version, or fork it into a new conversation.",
        ["Changes"] = "The caller's tenant's change feed (a page after a cursor, or Server-Sent Events) and its failed webhook deliveries.",
    };

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo { Title = Title, Version = "v1", Description = Introduction };
        // Relative, not the address this request came in on: the document is then the same from every gateway and
        // silo and on every port, which the committed copy (clients/openapi/v1.json) relies on.
        document.Servers = [new OpenApiServer { Url = "/", Description = "The gateway or silo that serves this document." }];
        foreach (var tag in document.Tags ?? Enumerable.Empty<OpenApiTag>())
        {
            if (tag.Name is { } name && TagDescriptions.TryGetValue(name, out var description))
            {
                tag.Description = description;
            }
        }

        document.AddComponent<IOpenApiSecurityScheme>(BearerScheme, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "The API key as 'Authorization: Bearer <key>'.",
        });
        document.AddComponent<IOpenApiSecurityScheme>(ApiKeyScheme, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = "X-API-Key",
            Description = "The API key as 'X-API-Key: <key>'.",
        });

        // Either header will do: two requirements are alternatives.
        var requirements = new List<OpenApiSecurityRequirement>
        {
            new() { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] },
            new() { [new OpenApiSecuritySchemeReference(ApiKeyScheme, document)] = [] },
        };
        foreach (var (path, item) in document.Paths ?? [])
        {
            if (!path.StartsWith("/v1/", StringComparison.Ordinal) || item.Operations is null)
            {
                continue;
            }

            foreach (var operation in item.Operations.Values)
            {
                operation.Security = requirements;
            }
        }

        return Task.CompletedTask;
    }
}
