using System.Text.Json;
using System.Text.Json.Nodes;

namespace BotStateCluster;

/// <summary>Checks on client JSON that every storage backend needs.</summary>
public static class JsonText
{
    /// <summary>
    /// Refuses what no backend can store or no client can read back, anywhere in the JSON: U+0000 in a
    /// name or string (PostgreSQL's <c>jsonb</c> cannot hold it), lone UTF-16 surrogates (not Unicode at
    /// all), and numbers that are not finite IEEE-754 doubles (<c>1e400</c>: what every JSON client can
    /// represent). Accepted numbers keep the text the client sent (<c>1E+2</c>, <c>-0</c>).
    /// </summary>
    /// <exception cref="StateFormatException">A name, string or number cannot be stored.</exception>
    public static void RejectUnstorableText(JsonNode? node, string path)
    {
        try
        {
            Walk(node, path);
        }
        catch (Exception exception) when (exception is InvalidOperationException or ArgumentException)
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
            case JsonValue value when value.GetValueKind() == JsonValueKind.Number && value.ToJsonString() is var number && !IsFiniteDouble(number):
                throw new StateFormatException($"{path} is the number {Abbreviate(number)}, beyond what a 64-bit floating-point number (IEEE-754 double, up to about 1.8e308) can hold.");
        }
    }

    // Double.TryParse answers infinity, not failure, for a literal beyond the double range.
    private static bool IsFiniteDouble(string number) =>
        double.TryParse(number, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value) && double.IsFinite(value);

    private static string Abbreviate(string text) => text.Length <= 40 ? text : $"{text[..37]}…";

    private static StateFormatException NulError(string path) =>
        new($"{path} contains the character U+0000, which cannot be stored.");
}
