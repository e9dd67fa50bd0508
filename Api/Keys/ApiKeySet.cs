using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace BotStateCluster.Api.Keys;

/// <summary>
/// The keys in force, found by the SHA-256 of what a request presents. Immutable: a changed key file makes a new set.
/// </summary>
public sealed class ApiKeySet
{
    private readonly Dictionary<string, ApiKeyEntry> _bySha256;

    // Keys already found by their hash, so a key's hash is computed once per key file rather than per request (SHA-256
    // through OpenSSL was a twentieth of a hot read). Only keys in force enter, so it holds at most as many as the file.
    private readonly ConcurrentDictionary<string, ApiKeyEntry> _verified = new(StringComparer.Ordinal);

    private ApiKeySet(Dictionary<string, ApiKeyEntry> bySha256) => _bySha256 = bySha256;

    public IReadOnlyCollection<ApiKeyEntry> Entries => _bySha256.Values;

    /// <summary>The tenants the keys name: what bounds the <c>tenant</c> label of the metrics.</summary>
    public IReadOnlySet<TenantId> Tenants => field ??= _bySha256.Values.Select(entry => entry.Tenant).ToHashSet();

    /// <summary>A set of <paramref name="entries"/>, whose hashes must be distinct.</summary>
    /// <exception cref="ArgumentException">Two entries have the same hash.</exception>
    public static ApiKeySet Of(IEnumerable<ApiKeyEntry> entries)
    {
        var bySha256 = new Dictionary<string, ApiKeyEntry>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (!bySha256.TryAdd(entry.Sha256, entry))
            {
                throw new ArgumentException($"the keys '{bySha256[entry.Sha256].Id}' and '{entry.Id}' are the same key (the same sha256)");
            }
        }

        return new ApiKeySet(bySha256);
    }

    /// <summary>The entry of the key <paramref name="presented"/>, or null when no key in force is that one.</summary>
    /// <remarks>
    /// A key is first found by its hash: what that takes depends on the presented key's hash, which tells an attacker
    /// nothing about the keys in force. A key found once is then remembered, in memory only, for as long as this set is in
    /// force; a revoked key is in no later set. An unknown key is never remembered, so guessing cannot grow the memory.
    /// </remarks>
    public ApiKeyEntry? Find(ReadOnlySpan<char> presented)
    {
        // Looked up by the span, so that a request's key is not copied out of its header first.
        if (_verified.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(presented, out var known))
        {
            return known;
        }

        var entry = _bySha256.GetValueOrDefault(Sha256Hex(presented));
        if (entry is not null)
        {
            _verified.TryAdd(presented.ToString(), entry);
        }

        return entry;
    }

    /// <summary>The lower-case hex SHA-256 of a key's UTF-8 bytes: what <c>API_KEYS_FILE</c> stores.</summary>
    public static string Sha256Hex(ReadOnlySpan<char> key)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        var length = Encoding.UTF8.GetByteCount(key);
        var bytes = length <= 256 ? stackalloc byte[length] : new byte[length];
        Encoding.UTF8.GetBytes(key, bytes);
        SHA256.HashData(bytes, hash);
        return Convert.ToHexStringLower(hash);
    }
}
