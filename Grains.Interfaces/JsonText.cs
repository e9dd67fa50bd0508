using System.Text.Json;
using System.Text.Json.Nodes;

namespace BotStateCluster;

/// <summary>Checks on client JSON that every storage backend needs.</summary>
public static class JsonText
{
    /// <summary>
    /// Refuses U+0000 anywhere in names or strings: PostgreSQL's <c>jsonb</c> cannot hold it, and the
    /// service answers the same on every backend.
    /// </summary>
    /// <exception cref="StateFormatException">A name or string holds U+0000.</exception>
    public static void RejectNulCharacters(JsonNode? node, string path)
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

                    RejectNulCharacters(value, $"{path}.{name}");
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    RejectNulCharacters(array[i], $"{path}[{i}]");
                }

                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String && value.GetValue<string>().Contains('\0'):
                throw NulError(path);
        }
    }

    /// <summary>Refuses U+0000 in a plain string field.</summary>
    public static void RejectNulCharacters(string? text, string path)
    {
        if (text is not null && text.Contains('\0'))
        {
            throw NulError(path);
        }
    }

    private static StateFormatException NulError(string path) =>
        new($"{path} contains the character U+0000, which cannot be stored.");
}
