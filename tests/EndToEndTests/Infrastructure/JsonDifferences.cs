using System.Text.Json.Nodes;

namespace BotStateCluster.EndToEndTests;

/// <summary>
/// Where two JSON documents differ, each place named by its JSON pointer (RFC 6901). Object members are matched by
/// name, whatever their order, so only content counts, not formatting.
/// </summary>
public static class JsonDifferences
{
    private const int ValueChars = 120;

    /// <summary>At most <paramref name="most"/> places, in document order; empty when the documents are equal.</summary>
    public static IReadOnlyList<string> Between(JsonNode? expected, JsonNode? actual, int most = 20)
    {
        var found = new List<string>();
        Compare(expected, actual, "", found, most);
        return found;
    }

    private static void Compare(JsonNode? expected, JsonNode? actual, string pointer, List<string> found, int most)
    {
        if (found.Count >= most)
        {
            return;
        }

        switch (expected, actual)
        {
            case (JsonObject expectedObject, JsonObject actualObject):
                foreach (var name in expectedObject.Select(member => member.Key).Union(actualObject.Select(member => member.Key)))
                {
                    var child = $"{pointer}/{name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal)}";
                    if (!actualObject.ContainsKey(name))
                    {
                        Add(found, most, $"{child}: expected {Show(expectedObject[name])}, missing");
                    }
                    else if (!expectedObject.ContainsKey(name))
                    {
                        Add(found, most, $"{child}: not expected, found {Show(actualObject[name])}");
                    }
                    else
                    {
                        Compare(expectedObject[name], actualObject[name], child, found, most);
                    }
                }

                break;
            case (JsonArray expectedArray, JsonArray actualArray) when expectedArray.Count == actualArray.Count:
                for (var i = 0; i < expectedArray.Count; i++)
                {
                    Compare(expectedArray[i], actualArray[i], $"{pointer}/{i}", found, most);
                }

                break;
            default:
                if (!JsonNode.DeepEquals(expected, actual))
                {
                    Add(found, most, $"{(pointer.Length == 0 ? "/" : pointer)}: expected {Show(expected)}, found {Show(actual)}");
                }

                break;
        }
    }

    private static void Add(List<string> found, int most, string difference)
    {
        if (found.Count < most)
        {
            found.Add(difference);
        }
    }

    private static string Show(JsonNode? value)
    {
        var text = value?.ToJsonString() ?? "null";
        return text.Length <= ValueChars ? text : text[..ValueChars] + "…";
    }
}
