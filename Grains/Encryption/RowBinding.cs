using System.Globalization;
using System.Text;

namespace BotStateCluster.Grains.Encryption;

/// <summary>
/// The associated data each ciphertext is bound to: what kind of row it is, whose, and which version. A ciphertext
/// copied to another conversation, tenant, version or kind of row then fails to decrypt instead of being served.
/// The parts are joined by NUL, which none of them can hold (tenant ids are [a-z0-9-], user ids have no control
/// characters), so two different bindings never give the same bytes.
/// </summary>
public static class RowBinding
{
    /// <summary>A conversation's state: <c>states.state</c>, and the copies the storage makes of it in
    /// <c>state_history</c> and <c>changes</c> (the same ciphertext, the same version).</summary>
    public const string State = "state";

    /// <summary>The idempotency receipts kept with a state (<c>states.meta</c>).</summary>
    public const string Receipts = "receipts";

    /// <summary>A data key wrapped by a master key, in the key store.</summary>
    public const string DataKey = "data-key";

    /// <summary>The associated data of a row of <paramref name="kind"/> of <paramref name="conversation"/> at <paramref name="version"/>.</summary>
    public static byte[] Of(string kind, ConversationKey conversation, int version) =>
        Encoding.UTF8.GetBytes(string.Join('\0', "botstate/v1", kind, conversation.Tenant.Value, conversation.User.Value, version.ToString(CultureInfo.InvariantCulture)));

    /// <summary>The associated data of <paramref name="conversation"/>'s wrapped data key in service <paramref name="serviceId"/>.</summary>
    public static byte[] OfDataKey(string serviceId, ConversationKey conversation) =>
        Encoding.UTF8.GetBytes(string.Join('\0', "botstate/v1", DataKey, serviceId, conversation.Tenant.Value, conversation.User.Value));
}
