using System.Security.Cryptography;
using System.Text;

namespace BotStateCluster.EndToEndTests;

/// <summary>
/// Master keys for the tests, and the test's own reading of the stored format (DESIGN section 12), written from the
/// format rather than with the product's classes: a data key is AES-256-GCM under its master key, bound to
/// (service, tenant, user id); a state to (tenant, user id, version). Nonce 12 bytes, then ciphertext, then tag 16.
/// </summary>
public static class MasterKeys
{
    /// <summary>A fresh master key's material.</summary>
    public static byte[] NewMaterial() => RandomNumberGenerator.GetBytes(32);

    /// <summary>An <c>ENCRYPTION_KEYS</c> entry.</summary>
    public static string Entry(string id, byte[] material) => $"{id}:{Convert.ToBase64String(material)}";

    /// <summary>The data key a wrapped key holds, or null when it does not unwrap.</summary>
    public static byte[]? Unwrap(byte[] master, byte[] wrapped, string serviceId, string tenant, string userId) =>
        Open(master, wrapped, Binding("data-key", serviceId, tenant, userId));

    /// <summary>The plaintext of a stored state's ciphertext, or null when it does not decrypt.</summary>
    public static string? OpenState(byte[] dataKey, byte[] sealedState, string tenant, string userId, int version) =>
        Open(dataKey, sealedState, Binding("state", tenant, userId, version.ToString(System.Globalization.CultureInfo.InvariantCulture))) is { } plaintext
            ? Encoding.UTF8.GetString(plaintext)
            : null;

    private static byte[] Binding(params string[] parts) => Encoding.UTF8.GetBytes(string.Join('\0', ["botstate/v1", .. parts]));

    private static byte[]? Open(byte[] key, byte[] sealedBytes, byte[] binding)
    {
        using var aes = new AesGcm(key, 16);
        var plaintext = new byte[sealedBytes.Length - 28];
        try
        {
            aes.Decrypt(sealedBytes[..12], sealedBytes[12..^16], sealedBytes[^16..], plaintext, binding);
            return plaintext;
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
    }
}
