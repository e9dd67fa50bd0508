using System.Text.Json;
using System.Text.Json.Nodes;

namespace BotStateCluster.Gateway.Api;

/// <summary>Reads a JSON request body within <c>MAX_BODY_BYTES</c>; failures become 400/413/415 answers.</summary>
internal static class RequestBody
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 64, AllowDuplicateProperties = false };

    /// <exception cref="BadHttpRequestException">The body is too large, not JSON, or not readable.</exception>
    public static async Task<JsonNode?> ReadJsonAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentType is { Length: > 0 } contentType && !contentType.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            throw new BadHttpRequestException($"The body must be JSON (Content-Type: application/json), not {contentType}.", StatusCodes.Status415UnsupportedMediaType);
        }

        try
        {
            // Kestrel enforces MAX_BODY_BYTES while reading and answers 413 through BadHttpRequestException.
            return await JsonNode.ParseAsync(request.Body, documentOptions: Options, cancellationToken: cancellationToken);
        }
        catch (JsonException exception)
        {
            throw new BadHttpRequestException($"The body is not valid JSON: {exception.Message}", StatusCodes.Status400BadRequest, exception);
        }
    }
}
