using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BotStateCluster.Silo.Import;

/// <summary>
/// Turns MongoDB extended JSON (what <c>mongoexport</c> writes) into the plain JSON of <c>to_dict</c>:
/// <c>{"$date": …}</c> becomes an ISO string, <c>{"$oid": …}</c> a string, <c>{"$numberLong": …}</c> a number.
/// </summary>
public static class MongoExtendedJson
{
    /// <summary>Returns <paramref name="node"/> with every extended-JSON wrapper replaced, at any depth.</summary>
    /// <exception cref="FormatException">A wrapper holds a value that is not what its type says.</exception>
    public static JsonNode? Normalize(JsonNode? node) => node switch
    {
        JsonObject { Count: 1 } wrapper when wrapper.First() is var (key, value) && key.StartsWith('$') => Unwrap(key, value),
        JsonObject obj => new JsonObject(obj.Select(pair => KeyValuePair.Create(pair.Key, Normalize(pair.Value)))),
        JsonArray array => new JsonArray([.. array.Select(Normalize)]),
        _ => node?.DeepClone(),
    };

    private static JsonNode? Unwrap(string key, JsonNode? value) => key switch
    {
        "$date" => PythonDate.Format(Date(value)),
        "$oid" => value?.GetValue<string>(),
        "$numberLong" or "$numberInt" => JsonValue.Create(long.Parse(Text(value), NumberStyles.Integer, CultureInfo.InvariantCulture)),
        "$numberDouble" or "$numberDecimal" => JsonValue.Create(double.Parse(Text(value), NumberStyles.Float, CultureInfo.InvariantCulture)),
        _ => new JsonObject { [key] = Normalize(value) },
    };

    // mongoexport writes dates three ways: relaxed ISO strings, {"$numberLong": "<ms>"} (canonical), or a bare number.
    private static DateTimeOffset Date(JsonNode? value) => value switch
    {
        JsonValue text when text.GetValueKind() == JsonValueKind.String && PythonDate.TryParse(text.GetValue<string>(), out var date) => date,
        JsonValue number when number.GetValueKind() == JsonValueKind.Number => DateTimeOffset.FromUnixTimeMilliseconds(number.GetValue<long>()),
        JsonObject { Count: 1 } wrapped when wrapped["$numberLong"] is { } millis =>
            DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(Text(millis), NumberStyles.Integer, CultureInfo.InvariantCulture)),
        _ => throw new FormatException($"$date holds {value?.ToJsonString() ?? "null"}, which is not a date."),
    };

    private static string Text(JsonNode? value) => value?.GetValueKind() switch
    {
        JsonValueKind.String => value.GetValue<string>(),
        JsonValueKind.Number => value.ToJsonString(),
        _ => throw new FormatException($"Expected a number, found {value?.ToJsonString() ?? "null"}."),
    };
}
