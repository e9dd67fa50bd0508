using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace BotStateCluster.Grains;

/// <summary>Tells whether a retried turn carries the same message as the first attempt.</summary>
public static class MessageFingerprint
{
    /// <summary>
    /// A short hash of the message's text, channel and context: 64 bits of SHA-256, in hex. Every turn stores one in
    /// each of its conversation's recent receipts, and 64 bits tell a changed message from a retry well enough.
    /// </summary>
    public static string Of(IncomingMessage message)
    {
        var canonical = new JsonArray(message.Text, message.Channel, message.Context?.DeepClone()).ToJsonString();
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)), 0, 8);
    }

    /// <summary>
    /// Whether a receipt's stored fingerprint is the one <see cref="Of"/> gives now. Receipts stored before the hash
    /// was shortened hold 128 bits of the same hash, which begin with these 64.
    /// </summary>
    public static bool Matches(string stored, string fingerprint) => stored.StartsWith(fingerprint, StringComparison.Ordinal);
}
