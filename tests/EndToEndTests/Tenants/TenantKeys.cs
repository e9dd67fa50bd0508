using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace BotStateCluster.EndToEndTests;

/// <summary>The keys of the tenant tests, and the API_KEYS_FILE that holds their hashes.</summary>
public static class TenantKeys
{
    public const string AcmeAll = "acme-all-key-0123456789abcdef";
    public const string AcmeRead = "acme-read-key-0123456789abcdef";
    public const string BetaAll = "beta-all-key-0123456789abcdef";
    public const string Flood = "flood-key-0123456789abcdef";
    public const string Calm = "calm-key-0123456789abcdef";
    public const string Doomed = "doomed-key-0123456789abcdef";

    /// <summary>The flooding tenant's limit, requests per second and burst.</summary>
    public const int FloodLimit = 20;

    public static readonly (string Id, string Tenant, string[] Scopes, string Key, int? Limit)[] All =
    [
        ("acme-all", "acme", ["read", "write", "privacy"], AcmeAll, null),
        ("acme-read", "acme", ["read"], AcmeRead, null),
        ("beta-all", "beta", ["read", "write", "privacy"], BetaAll, null),
        ("flood", "flood", ["read", "write"], Flood, FloodLimit),
        ("calm", "calm", ["read", "write"], Calm, 10_000),
        ("doomed", "doomed", ["read", "write"], Doomed, null),
    ];

    public static string Sha256(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>The file's JSON with the keys whose tenant <paramref name="keep"/> accepts.</summary>
    public static string FileJson(Func<string, bool>? keep = null) => new JsonObject
    {
        ["keys"] = new JsonArray([.. All.Where(key => keep?.Invoke(key.Tenant) ?? true).Select(key => (JsonNode)Entry(key.Id, key.Tenant, key.Scopes, Sha256(key.Key), key.Limit))]),
    }.ToJsonString();

    public static JsonObject Entry(string id, string tenant, string[] scopes, string sha256, int? limit = null)
    {
        var entry = new JsonObject
        {
            ["id"] = id,
            ["tenant"] = tenant,
            ["scopes"] = new JsonArray([.. scopes.Select(scope => (JsonNode)scope)]),
            ["sha256"] = sha256,
        };
        if (limit is { } perSecond)
        {
            entry["rate_limit"] = new JsonObject { ["per_second"] = perSecond, ["burst"] = perSecond };
        }

        return entry;
    }

    public static (string Name, string Value) Bearer(string key) => ("Authorization", $"Bearer {key}");
}
