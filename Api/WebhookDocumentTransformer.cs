using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace BotStateCluster.Api;

/// <summary>
/// Describes the webhooks the service sends, which OpenAPI 3.0 has no place for: a paragraph of the introduction, and an
/// <c>x-webhooks</c> extension in the shape of OpenAPI 3.1's <c>webhooks</c>, whose body is the change feed's event
/// (<c>ChangeEventBody</c>) and whose headers are the Standard Webhooks ones.
/// </summary>
internal sealed class WebhookDocumentTransformer : IOpenApiDocumentTransformer
{
    private const string Paragraph =
        "\n\nWebhooks: with WEBHOOK_URL and WEBHOOK_SECRET (tenant default) or a tenant's \"webhook\" in API_KEYS_FILE, every event of the "
        + "change feed is POSTed to the tenant's URL as its JSON (the ChangeEventBody schema, as GET /v1/changes answers it), signed as the "
        + "Standard Webhooks specification says: webhook-id (evt_ and the event's cursor, the same on every try: use it to drop repeats), "
        + "webhook-timestamp (Unix seconds of the try) and webhook-signature ('v1,' and the base64 HMAC-SHA256 of '{id}.{timestamp}.{body}' "
        + "under the base64 key after 'whsec_'). A 2xx answer delivers it; anything else is tried again with exponential backoff, up to "
        + "WEBHOOK_ATTEMPTS tries, after which it is listed at GET /v1/changes/failed-deliveries. Delivery is at least once, in each "
        + "conversation's version order.";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info ??= new OpenApiInfo();
        document.Info.Description += Paragraph;
        document.Extensions ??= new Dictionary<string, IOpenApiExtension>();
        document.Extensions["x-webhooks"] = new JsonNodeExtension(new JsonObject
        {
            ["change"] = new JsonObject
            {
                ["post"] = new JsonObject
                {
                    ["operationId"] = "ChangeWebhook",
                    ["summary"] = "One event of the tenant's change feed",
                    // The receiver knows the sender by the webhook-signature header, not by the API's own schemes (which a
                    // document-level default would otherwise imply): no security scheme applies.
                    ["security"] = new JsonArray(),
                    ["parameters"] = new JsonArray(
                        Header("webhook-id", "evt_ and the event's cursor; the same on every try of the event."),
                        Header("webhook-timestamp", "When this try was sent, in Unix seconds."),
                        Header("webhook-signature", "v1, and the base64 HMAC-SHA256 of '{webhook-id}.{webhook-timestamp}.{body}' under the secret's key.")),
                    ["requestBody"] = new JsonObject
                    {
                        ["required"] = true,
                        ["content"] = new JsonObject
                        {
                            ["application/json"] = new JsonObject { ["schema"] = new JsonObject { ["$ref"] = "#/components/schemas/ChangeEventBody" } },
                        },
                    },
                    ["responses"] = new JsonObject
                    {
                        ["2XX"] = new JsonObject { ["description"] = "Delivered." },
                        ["default"] = new JsonObject { ["description"] = "Not delivered: tried again later." },
                    },
                },
            },
        });
        return Task.CompletedTask;
    }

    private static JsonObject Header(string name, string description) => new()
    {
        ["name"] = name,
        ["in"] = "header",
        ["required"] = true,
        ["description"] = description,
        ["schema"] = new JsonObject { ["type"] = "string" },
    };
}
