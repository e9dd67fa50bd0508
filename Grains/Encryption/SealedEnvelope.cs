using System.Text.Json;
using System.Text.Json.Nodes;

namespace BotStateCluster.Grains.Encryption;

/// <summary>
/// How an encrypted state is stored in <c>states.state</c> (and copied into <c>state_history</c> and <c>changes</c>):
/// <c>{"sealed": base64(nonce, ciphertext, tag), "current_node": …, "intent": {"id": …}}</c>. Still a JSON object, so
/// the columns, the listing's filters and their indexes work as they do on plaintext; the two listing fields are the
/// only plaintext beside the row's keys, version and dates (DESIGN section 12), and hold no user text.
/// </summary>
public static class SealedEnvelope
{
    /// <summary>The property that holds the ciphertext; a plaintext state never has it.</summary>
    public const string SealedProperty = "sealed";

    /// <summary>The meta property that holds the sealed idempotency receipts, in place of <c>recent_turns</c>.</summary>
    public const string SealedReceiptsProperty = "sealed_turns";

    /// <summary>Writes the envelope of <paramref name="sealedState"/> with the listing's plaintext fields.</summary>
    public static void Write(Utf8JsonWriter writer, byte[] sealedState, string? currentNode, string? intentId)
    {
        writer.WriteStartObject();
        writer.WriteBase64String(SealedProperty, sealedState);
        writer.WriteString("current_node", currentNode);
        if (intentId is not null)
        {
            writer.WriteStartObject("intent");
            writer.WriteString("id", intentId);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    /// <summary>The ciphertext of a stored state, or null when the state is plaintext.</summary>
    /// <exception cref="IntegrityException">The envelope is damaged.</exception>
    public static byte[]? SealedBytes(JsonObject state) => Base64(state[SealedProperty]);

    /// <summary>The ciphertext of a stored state's JSON text, or null when it is plaintext.</summary>
    /// <exception cref="IntegrityException">The envelope is damaged.</exception>
    public static byte[]? SealedBytes(string storedState) =>
        JsonNode.Parse(storedState) is JsonObject state ? SealedBytes(state) : throw new IntegrityException();

    /// <summary>Meta's sealed receipts, or null when it has none.</summary>
    /// <exception cref="IntegrityException">The value is damaged.</exception>
    public static byte[]? SealedReceipts(JsonObject? meta) => Base64(meta?[SealedReceiptsProperty]);

    // Absent: null; a base64 string: its bytes; anything else was not written by this service.
    private static byte[]? Base64(JsonNode? value)
    {
        if (value is null)
        {
            return null;
        }

        if (value is JsonValue text && text.TryGetValue<string>(out var encoded))
        {
            var bytes = new byte[(encoded.Length * 3 / 4) + 3];
            if (Convert.TryFromBase64String(encoded, bytes, out var written))
            {
                return bytes[..written];
            }
        }

        throw new IntegrityException();
    }
}
