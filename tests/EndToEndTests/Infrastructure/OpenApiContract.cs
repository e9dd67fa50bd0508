using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using NJsonSchema;
using NSwag;

namespace BotStateCluster.EndToEndTests;

/// <summary>
/// The gateway's own OpenAPI document as a contract every answer is held to: its status must be
/// documented for the operation, its body must match the documented schema (no field the schema does
/// not declare, every required field present, types and nullability as documented), and the API's
/// own headers must be documented for that answer.
/// </summary>
public sealed class OpenApiContract(OpenApiDocument document)
{
    private static readonly ConcurrentDictionary<Uri, Task<OpenApiContract>> Documents = new();

    // Headers the API sets on purpose; the framework's own (Date, Server, Content-Type…) are not part of the contract.
    private static readonly string[] ApiHeaders = ["ETag", "Idempotent-Replayed", "Retry-After", "WWW-Authenticate"];

    public OpenApiDocument Document => document;

    /// <summary>
    /// The contract served by the gateway at <paramref name="http"/>'s base address, fetched once it was fetched whole:
    /// a failed fetch is not kept, so it fails one check, not every later one.
    /// </summary>
    public static async Task<OpenApiContract> OfAsync(HttpClient http)
    {
        var fetch = Documents.GetOrAdd(http.BaseAddress!, async _ => await FromJsonAsync(await http.GetStringAsync("/openapi/v1.json")));
        try
        {
            return await fetch;
        }
        catch
        {
            Documents.TryRemove(new KeyValuePair<Uri, Task<OpenApiContract>>(http.BaseAddress!, fetch));
            throw;
        }
    }

    public static async Task<OpenApiContract> FromJsonAsync(string json) => new(await OpenApiDocument.FromJsonAsync(json));

    /// <summary>
    /// Where the answer breaks the document; empty when it conforms or when the document does not cover
    /// the path and method at all (unknown paths, 405s, the document and reference themselves).
    /// </summary>
    public IReadOnlyList<string> Violations(string method, string pathAndQuery, HttpStatusCode status, string? mediaType, IEnumerable<string> headerNames, string body)
    {
        if (Operation(method, pathAndQuery.Split('?', 2)[0]) is not { } operation)
        {
            return [];
        }

        var code = ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (!operation.ActualResponses.TryGetValue(code, out var documented))
        {
            return [$"{method} {pathAndQuery}: status {code} is not documented (documented: {string.Join(", ", operation.ActualResponses.Keys)})"];
        }

        var response = documented.ActualResponse;
        var violations = new List<string>();
        foreach (var header in headerNames.Where(name => ApiHeaders.Contains(name, StringComparer.OrdinalIgnoreCase)))
        {
            if (!response.Headers.Keys.Contains(header, StringComparer.OrdinalIgnoreCase))
            {
                violations.Add($"{method} {pathAndQuery} {code}: header {header} is not documented");
            }
        }

        if (body.Length == 0)
        {
            return violations;
        }

        if (mediaType is null || !response.Content.TryGetValue(mediaType, out var content) || content.Schema is null)
        {
            violations.Add($"{method} {pathAndQuery} {code}: a {mediaType ?? "untyped"} body is not documented (documented: {string.Join(", ", response.Content.Keys)})");
            return violations;
        }

        if (mediaType == "application/x-ndjson")
        {
            // Every line is one JSON value of the documented schema.
            var lines = body.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            for (var i = 0; i < lines.Length; i++)
            {
                Check(JsonNode.Parse(lines[i]), content.Schema, $"$line{i + 1}", violations);
            }
        }
        else if (mediaType.EndsWith("json", StringComparison.Ordinal))
        {
            Check(JsonNode.Parse(body), content.Schema, "$", violations);
        }

        return [.. violations.Select(violation => violation.StartsWith('$') ? $"{method} {pathAndQuery} {code}: {violation}" : violation)];
    }

    private OpenApiOperation? Operation(string method, string path)
    {
        var segments = path.Split('/');
        foreach (var (template, item) in document.Paths)
        {
            var parts = template.Split('/');
            if (parts.Length == segments.Length
                && parts.Zip(segments).All(pair => pair.First.StartsWith('{') || pair.First == pair.Second)
                && item.TryGetValue(method.ToLowerInvariant(), out var operation))
            {
                return operation;
            }
        }

        return null;
    }

    private static void Check(JsonNode? value, JsonSchema schema, string path, List<string> violations)
    {
        schema = schema.ActualSchema;
        if (value is null)
        {
            if (!(schema.IsNullableRaw == true || schema.Type.HasFlag(JsonObjectType.Null) || schema.Enumeration.Contains(null)
                || schema.OneOf.Concat(schema.AnyOf).Any(option => option.ActualSchema.IsNullableRaw == true || option.ActualSchema.Enumeration.Contains(null))))
            {
                violations.Add($"{path}: null, but the schema does not allow null");
            }

            return;
        }

        var options = schema.OneOf.Concat(schema.AnyOf).ToList();
        if (options.Count > 0)
        {
            // Keep the violations of the closest option (the fewest), so the message says what is wrong.
            var results = options.Select(option =>
            {
                var found = new List<string>();
                Check(value, option, path, found);
                return found;
            }).OrderBy(found => found.Count).First();
            violations.AddRange(results);
            return;
        }

        foreach (var part in schema.AllOf)
        {
            Check(value, part, path, violations);
        }

        var kind = value.GetValueKind();
        if (schema.Type != JsonObjectType.None && !Matches(schema.Type, kind, value))
        {
            violations.Add($"{path}: {kind}, but the schema says {schema.Type}");
            return;
        }

        switch (value)
        {
            case JsonObject obj:
                foreach (var required in schema.RequiredProperties.Where(name => !obj.ContainsKey(name)))
                {
                    violations.Add($"{path}.{required}: required by the schema, missing from the answer");
                }

                foreach (var (name, child) in obj)
                {
                    if (schema.ActualProperties.TryGetValue(name, out var property))
                    {
                        Check(child, property, $"{path}.{name}", violations);
                    }
                    else if (schema.ActualProperties.Count > 0 || schema.AllowAdditionalProperties == false)
                    {
                        // A typed object (it declares properties) must declare every field it answers with.
                        violations.Add($"{path}.{name}: answered, but not declared by the schema");
                    }
                }

                break;
            case JsonArray array when schema.Item is { } items:
                for (var i = 0; i < array.Count; i++)
                {
                    Check(array[i], items, $"{path}[{i}]", violations);
                }

                break;
        }
    }

    private static bool Matches(JsonObjectType type, JsonValueKind kind, JsonNode value) => kind switch
    {
        JsonValueKind.Object => type.HasFlag(JsonObjectType.Object),
        JsonValueKind.Array => type.HasFlag(JsonObjectType.Array),
        JsonValueKind.String => type.HasFlag(JsonObjectType.String),
        JsonValueKind.True or JsonValueKind.False => type.HasFlag(JsonObjectType.Boolean),
        JsonValueKind.Number => type.HasFlag(JsonObjectType.Number)
            || (type.HasFlag(JsonObjectType.Integer) && long.TryParse(value.ToJsonString(), out _)),
        _ => false,
    };
}
