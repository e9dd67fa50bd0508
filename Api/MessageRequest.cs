using System.Text.Json;
using System.Text.Json.Nodes;

namespace BotStateCluster.Api;

/// <summary>The body of <c>POST …/messages</c>: <c>{text, context?, channel?}</c>, and its <c>Idempotency-Key</c>.</summary>
internal static class MessageRequest
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    private const int MaxIdempotencyKeyLength = 255;

    /// <exception cref="StateFormatException">The body does not follow the contract.</exception>
    public static IncomingMessage Parse(JsonNode? body)
    {
        if (body is not JsonObject message)
        {
            throw new StateFormatException("The message must be a JSON object {\"text\": …, \"context\": {…}, \"channel\": …}.");
        }

        JsonText.RejectUnstorableText(message, "message");
        if (message["text"] is not JsonValue text || text.GetValueKind() != JsonValueKind.String)
        {
            throw new StateFormatException("text is required and must be a string.");
        }

        var context = message["context"] switch
        {
            null => null,
            JsonObject contextObject => (JsonObject)contextObject.DeepClone(),
            _ => throw new StateFormatException("context must be an object."),
        };
        var channel = message["channel"] switch
        {
            null => null,
            JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
            _ => throw new StateFormatException("channel must be a string."),
        };
        return new IncomingMessage(text.GetValue<string>(), context, channel);
    }

    /// <summary>The request's idempotency key, or null when it sent none.</summary>
    /// <exception cref="ApiProblemException">The key is empty, too long or holds control characters.</exception>
    public static string? IdempotencyKey(string? key) =>
        key is null ? null
        : key.Length is 0 or > MaxIdempotencyKeyLength || key.Any(char.IsControl)
            ? throw new ApiProblemException(ProblemKinds.InvalidHeader, $"{IdempotencyKeyHeader} must be 1 to {MaxIdempotencyKeyLength} printable characters.")
            : key;
}
