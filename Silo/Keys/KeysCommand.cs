using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using BotStateCluster.Api.Keys;

namespace BotStateCluster.Silo.Keys;

/// <summary>
/// <c>dotnet run --project Silo -- keys new --tenant TENANT --scopes read,write [--id ID] [--rate-limit N [--burst M]]</c>:
/// makes a random API key and prints it once (first line), then the entry to add to <c>API_KEYS_FILE</c>'s
/// <c>keys</c> (second line), which holds only the key's SHA-256. Nothing is stored: the key exists only in what the
/// operator keeps of the output.
/// </summary>
internal static class KeysCommand
{
    public const string Usage = "usage: keys new --tenant TENANT --scopes read,write,privacy [--id ID] [--rate-limit PER_SECOND [--burst N]]";

    /// <summary>What a key starts with, so that a leaked one is recognisable (secret scanners, logs).</summary>
    public const string KeyPrefix = "bsk_";

    // 256 random bits: as strong as the SHA-256 that stands for it.
    private const int KeyBytes = 32;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        if (Parse(args, out var problem) is not { } request)
        {
            await error.WriteLineAsync($"keys: {problem}");
            await error.WriteLineAsync(Usage);
            return 2;
        }

        var key = KeyPrefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(KeyBytes));
        var sha256 = ApiKeySet.Sha256Hex(key);
        var entry = new JsonObject
        {
            ["id"] = request.Id ?? $"{request.Tenant}-{sha256[..8]}",
            ["tenant"] = request.Tenant.Value,
            ["scopes"] = new JsonArray([.. request.Scopes.Select(scope => (JsonNode)scope)]),
            ["sha256"] = sha256,
        };
        if (request.RateLimit is { } limit)
        {
            entry["rate_limit"] = new JsonObject { ["per_second"] = limit.PerSecond, ["burst"] = limit.Burst };
        }

        await output.WriteLineAsync(key);
        await output.WriteLineAsync(entry.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
        await error.WriteLineAsync("keys: the first line is the key, shown this once: give it to the bot. The second is the entry to add to the \"keys\" array of API_KEYS_FILE; the service re-reads the file within seconds.");
        return 0;
    }

    private sealed record Request(TenantId Tenant, IReadOnlyList<string> Scopes, string? Id, RateLimit? RateLimit);

    private static Request? Parse(string[] args, out string? problem)
    {
        problem = null;
        if (args is not ["new", .. var rest] || rest.Length % 2 != 0)
        {
            problem = "expected 'new' and pairs of --option value";
            return null;
        }

        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < rest.Length; i += 2)
        {
            if (rest[i] is not ("--tenant" or "--scopes" or "--id" or "--rate-limit" or "--burst") || !options.TryAdd(rest[i], rest[i + 1]))
            {
                problem = $"unknown or repeated option '{rest[i]}'";
                return null;
            }
        }

        if (!options.TryGetValue("--tenant", out var tenantText) || !TenantId.TryParse(tenantText, out var tenant, out var tenantProblem))
        {
            problem = $"--tenant: {TenantId.Validate(options.GetValueOrDefault("--tenant"))}";
            return null;
        }

        var scopes = options.GetValueOrDefault("--scopes")?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? [];
        if (scopes.Length == 0 || scopes.FirstOrDefault(scope => !ApiScopes.All.Contains(scope)) is { } unknown)
        {
            problem = $"--scopes must list some of {string.Join(", ", ApiScopes.All)}";
            return null;
        }

        var id = options.GetValueOrDefault("--id");
        if (id is { Length: 0 or > ApiKeyFile.MaxIdLength } || id?.Any(char.IsControl) == true)
        {
            problem = $"--id must be 1 to {ApiKeyFile.MaxIdLength} printable characters";
            return null;
        }

        RateLimit? limit = null;
        if (options.TryGetValue("--rate-limit", out var perSecondText))
        {
            if (!int.TryParse(perSecondText, out var perSecond) || perSecond is < 1 or > ApiKeyFile.MaxPerSecond)
            {
                problem = $"--rate-limit must be requests per second, 1 to {ApiKeyFile.MaxPerSecond}";
                return null;
            }

            var burst = perSecond;
            if (options.TryGetValue("--burst", out var burstText) && (!int.TryParse(burstText, out burst) || burst < 1))
            {
                problem = "--burst must be a whole number of at least 1";
                return null;
            }

            limit = new RateLimit(perSecond, burst);
        }
        else if (options.ContainsKey("--burst"))
        {
            problem = "--burst goes with --rate-limit";
            return null;
        }

        return new Request(tenant, [.. scopes.Distinct()], id, limit);
    }
}
