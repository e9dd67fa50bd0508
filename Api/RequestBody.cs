using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Net.Http.Headers;

namespace BotStateCluster.Api;

/// <summary>Reads a JSON request body within <c>MAX_BODY_BYTES</c>; failures become 400/413/415 answers.</summary>
internal static class RequestBody
{
    /// <summary>
    /// The deepest nesting a body may have, the top-level value counting as one. Dialogue state needs a
    /// handful of levels; the limit leaves the serializers' own 64 room for the history's wrapping.
    /// </summary>
    public const int MaxDepth = 32;

    private static readonly JsonDocumentOptions Options = new() { MaxDepth = MaxDepth, AllowDuplicateProperties = false };

    /// <exception cref="BadHttpRequestException">The body is too large, not JSON, or not readable.</exception>
    public static async Task<JsonNode?> ReadJsonAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!IsJson(request.ContentType))
        {
            throw new BadHttpRequestException(
                $"The body must be JSON (Content-Type: application/json or application/*+json), not {(string.IsNullOrEmpty(request.ContentType) ? "a body without Content-Type" : request.ContentType)}.",
                StatusCodes.Status415UnsupportedMediaType);
        }

        try
        {
            // Kestrel enforces MAX_BODY_BYTES while reading and answers 413 through BadHttpRequestException.
            return await JsonNode.ParseAsync(request.Body, documentOptions: Options, cancellationToken: cancellationToken);
        }
        catch (JsonException exception)
        {
            throw new BadHttpRequestException($"The body is not valid JSON (at most {MaxDepth} levels deep): {exception.Message}", StatusCodes.Status400BadRequest, exception);
        }
        catch (Exception exception) when (exception is InvalidOperationException or ArgumentException)
        {
            // A property name holding a lone surrogate escape ("\ud800") fails while names are compared for duplicates.
            throw new BadHttpRequestException($"The body holds a name or string that is not valid Unicode: {exception.Message}", StatusCodes.Status400BadRequest, exception);
        }
    }

    /// <summary><c>application/json</c> or <c>application/*+json</c>, parameters such as <c>charset</c> allowed.</summary>
    public static bool IsJson(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var parsed) || parsed.Type.Value is not { } type || parsed.SubType.Value is not { } subType)
        {
            return false;
        }

        return type.Equals("application", StringComparison.OrdinalIgnoreCase)
            && (subType.Equals("json", StringComparison.OrdinalIgnoreCase)
                || (subType.Length > "+json".Length && subType.EndsWith("+json", StringComparison.OrdinalIgnoreCase)));
    }
}
