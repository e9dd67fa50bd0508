using System.Text.Json;
using BotStateCluster.Api.Webhooks;

namespace BotStateCluster.Api.Keys;

/// <summary>
/// Reads <c>API_KEYS_FILE</c> (DESIGN section 11):
/// <c>{"keys": [{"id", "tenant", "scopes", "sha256", "rate_limit": {"per_second", "burst"}}], "tenants": {…}}</c>.
/// Strict: a misspelt field is an error rather than a key with less (or more) than meant. Every message names the
/// entry and never holds a hash.
/// </summary>
public static class ApiKeyFile
{
    /// <summary>The longest key id.</summary>
    public const int MaxIdLength = 64;

    /// <summary>The highest rate a key may be given, requests per second.</summary>
    public const int MaxPerSecond = 1_000_000;

    private static readonly string[] EntryFields = ["id", "tenant", "scopes", "sha256", "rate_limit"];

    /// <summary>The entries of the file's text.</summary>
    /// <exception cref="FormatException">The text is not a valid key file; the message says where and why.</exception>
    public static IReadOnlyList<ApiKeyEntry> Parse(ReadOnlySpan<byte> utf8Json) => Read(utf8Json).Keys;

    /// <summary>The keys of the file's text and the settings of its tenants.</summary>
    /// <exception cref="FormatException">The text is not a valid key file; the message says where and why.</exception>
    public static ApiKeyFileContent Read(ReadOnlySpan<byte> utf8Json)
    {
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException exception)
        {
            throw new FormatException($"not valid JSON ({exception.Message})");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("keys", out var keys) || keys.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException("the file must be a JSON object with a \"keys\" array");
            }

            foreach (var property in root.EnumerateObject())
            {
                if (property.Name is not ("keys" or "tenants"))
                {
                    throw new FormatException($"unknown field \"{property.Name}\" (the file has \"keys\" and \"tenants\")");
                }
            }

            var webhooks = root.TryGetProperty("tenants", out var tenants) ? Webhooks(tenants) : new Dictionary<TenantId, WebhookEndpoint>();

            var entries = new List<ApiKeyEntry>();
            var ids = new HashSet<string>(StringComparer.Ordinal);
            var index = 0;
            foreach (var key in keys.EnumerateArray())
            {
                var entry = ReadEntry(key, $"keys[{index}]");
                if (!ids.Add(entry.Id))
                {
                    throw new FormatException($"keys[{index}]: the id '{entry.Id}' is used by another key too");
                }

                entries.Add(entry);
                index++;
            }

            return new ApiKeyFileContent(entries, webhooks);
        }
    }

    private static ApiKeyEntry ReadEntry(JsonElement key, string where)
    {
        if (key.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"{where} must be an object");
        }

        var id = String(key, "id", where);
        if (id.Length > MaxIdLength || id.Any(char.IsControl))
        {
            throw new FormatException($"{where}: id must be 1 to {MaxIdLength} printable characters");
        }

        where = $"{where} ('{id}')";
        foreach (var property in key.EnumerateObject())
        {
            if (!EntryFields.Contains(property.Name))
            {
                throw new FormatException($"{where}: unknown field \"{property.Name}\" (an entry has {string.Join(", ", EntryFields)})");
            }
        }

        if (!TenantId.TryParse(String(key, "tenant", where), out var tenant, out var tenantProblem))
        {
            throw new FormatException($"{where}: {tenantProblem}");
        }

        var sha256 = String(key, "sha256", where);
        if (sha256.Length != 64 || !sha256.All(Uri.IsHexDigit))
        {
            throw new FormatException($"{where}: sha256 must be the 64 hex digits of the key's SHA-256 (dotnet run --project Silo -- keys new prints it)");
        }

        return new ApiKeyEntry(id, tenant, Scopes(key, where), sha256.ToLowerInvariant(), RateLimitOf(key, where));
    }

    private static string[] Scopes(JsonElement key, string where)
    {
        if (!key.TryGetProperty("scopes", out var scopes) || scopes.ValueKind != JsonValueKind.Array || scopes.GetArrayLength() == 0)
        {
            throw new FormatException($"{where}: scopes must be a non-empty array of {string.Join(", ", ApiScopes.All)}");
        }

        var names = new List<string>();
        foreach (var scope in scopes.EnumerateArray())
        {
            if (scope.ValueKind != JsonValueKind.String || scope.GetString() is not { } name || !ApiScopes.All.Contains(name))
            {
                throw new FormatException($"{where}: unknown scope {scope.GetRawText()} (scopes are {string.Join(", ", ApiScopes.All)})");
            }

            if (!names.Contains(name))
            {
                names.Add(name);
            }
        }

        return [.. names];
    }

    private static RateLimit? RateLimitOf(JsonElement key, string where)
    {
        if (!key.TryGetProperty("rate_limit", out var limit) || limit.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (limit.ValueKind != JsonValueKind.Object
            || !limit.TryGetProperty("per_second", out var perSecondValue) || !perSecondValue.TryGetInt32(out var perSecond)
            || perSecond is < 1 or > MaxPerSecond)
        {
            throw new FormatException($"{where}: rate_limit must be {{\"per_second\": 1 to {MaxPerSecond}, \"burst\": at least 1}}");
        }

        var burst = perSecond;
        if (limit.TryGetProperty("burst", out var burstValue) && (!burstValue.TryGetInt32(out burst) || burst < 1))
        {
            throw new FormatException($"{where}: rate_limit.burst must be a whole number of at least 1");
        }

        foreach (var property in limit.EnumerateObject())
        {
            if (property.Name is not ("per_second" or "burst"))
            {
                throw new FormatException($"{where}: unknown field \"rate_limit.{property.Name}\"");
            }
        }

        return new RateLimit(perSecond, burst);
    }

    // Per-tenant settings, keyed by tenant id: {"acme": {"webhook": {"url", "secret"}}}, the change feed's webhook
    // (DESIGN section 13). A message names the tenant, never the secret.
    private static Dictionary<TenantId, WebhookEndpoint> Webhooks(JsonElement tenants)
    {
        if (tenants.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("\"tenants\" must be an object keyed by tenant id");
        }

        var webhooks = new Dictionary<TenantId, WebhookEndpoint>();
        foreach (var tenant in tenants.EnumerateObject())
        {
            if (!TenantId.TryParse(tenant.Name, out var id, out var problem))
            {
                throw new FormatException($"tenants: {problem}");
            }

            var where = $"tenants.{tenant.Name}";
            if (tenant.Value.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"{where} must be an object such as {{\"webhook\": {{\"url\": …, \"secret\": …}}}}");
            }

            foreach (var property in tenant.Value.EnumerateObject())
            {
                if (property.Name != "webhook")
                {
                    throw new FormatException($"{where}: unknown field \"{property.Name}\" (a tenant has \"webhook\")");
                }

                webhooks[id] = Webhook(property.Value, $"{where}.webhook");
            }
        }

        return webhooks;
    }

    private static WebhookEndpoint Webhook(JsonElement webhook, string where)
    {
        if (webhook.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"{where} must be an object {{\"url\": …, \"secret\": …}}");
        }

        foreach (var property in webhook.EnumerateObject())
        {
            if (property.Name is not ("url" or "secret"))
            {
                throw new FormatException($"{where}: unknown field \"{property.Name}\" (a webhook has \"url\" and \"secret\")");
            }
        }

        return WebhookEndpoint.Parse(Text(webhook, "url"), Text(webhook, "secret"), where);
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string String(JsonElement key, string name, string where) =>
        key.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : throw new FormatException($"{where}: {name} must be a non-empty string");
}

/// <summary>What <c>API_KEYS_FILE</c> holds: its keys, and the webhooks of its tenants.</summary>
public sealed record ApiKeyFileContent(IReadOnlyList<ApiKeyEntry> Keys, IReadOnlyDictionary<TenantId, WebhookEndpoint> Webhooks);
