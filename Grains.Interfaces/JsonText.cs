using System.Text.Json;
using System.Text.Json.Nodes;

namespace BotStateCluster;

/// <summary>Checks on client JSON that every storage backend needs.</summary>
public static class JsonText
{
    /// <summary>
    /// Refuses text no backend can store, anywhere in names or strings: U+0000 (PostgreSQL's <c>jsonb</c>
    /// cannot hold it) and lone UTF-16 surrogates (not Unicode at all). Every backend answers the same.
    /// </summary>
    /// <exception cref="StateFormatException">A name or string cannot be stored.</exception>
    public static void RejectUnstorableText(JsonNode? node, string path)
    {
        try
        {
            Walk(node, path);
        }
        catch (InvalidOperationException exception)
        {
            // System.Text.Json refuses to decode a lone surrogate escape such as "\ud800".
            throw new StateFormatException($"{path} holds a string that is not valid Unicode: {exception.Message}");
        }
    }

    /// <summary>Refuses U+0000 in a plain string field.</summary>
    public static void RejectUnstorableText(string? text, string path)
    {
        if (text is not null && text.Contains('\0'))
        {
            throw NulError(path);
        }
    }

    private static void Walk(JsonNode? node, string path)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj)
                {
                    if (name.Contains('\0'))
                    {
                        throw NulError($"{path}.{name.Replace("\0", "\\u0000")}");
                    }

                    Walk(value, $"{path}.{name}");
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    Walk(array[i], $"{path}[{i}]");
                }

                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String && value.GetValue<string>().Contains('\0'):
                throw NulError(path);
        }
    }

    private static StateFormatException NulError(string path) =>
        new($"{path} contains the character U+0000, which cannot be stored.");
}
