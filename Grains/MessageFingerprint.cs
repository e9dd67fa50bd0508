using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace BotStateCluster.Grains;

/// <summary>Tells whether a retried turn carries the same message as the first attempt.</summary>
public static class MessageFingerprint
{
    /// <summary>A short hash of the message's text, channel and context.</summary>
    public static string Of(IncomingMessage message)
    {
        var canonical = new JsonArray(message.Text, message.Channel, message.Context?.DeepClone()).ToJsonString();
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)), 0, 16);
    }
}
