using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace BotStateCluster;

/// <summary>What an event of the change feed says happened to a conversation (DESIGN section 13).</summary>
public static class ChangeKinds
{
    /// <summary>A conversation that had no state got one (a first turn, a PUT or an import).</summary>
    public const string Created = "created";

    /// <summary>A turn, a PUT or an import changed an existing state.</summary>
    public const string Updated = "updated";

    /// <summary>A snapshot was made the current state again, as a new version.</summary>
    public const string Restored = "restored";

    /// <summary>A new conversation started from another one's snapshot or current state.</summary>
    public const string Forked = "forked";

    /// <summary>The conversation was erased; the event has a reason and no state.</summary>
    public const string Erased = "erased";
}

/// <summary>Why a conversation was erased: the <c>reason</c> of an <see cref="ChangeKinds.Erased"/> event.</summary>
public static class ErasureReasons
{
    /// <summary><c>DELETE /v1/states/{userId}</c>.</summary>
    public const string Deleted = "deleted";

    /// <summary>A bulk erasure (<c>POST /v1/erasures</c>), a data-subject request.</summary>
    public const string ErasureRequest = "erasure_request";

    /// <summary>Not updated for <c>STATE_TTL</c>.</summary>
    public const string Expired = "expired";
}

/// <summary>
/// A position in a tenant's change feed: the events after it are those not yet seen. Clients see it only as the
/// opaque <see cref="Encode"/> text. On PostgreSQL it is the (transaction, sequence) of the last event seen, the
/// order in which events become final; on SQLite the transaction part is 0 and the sequence is the commit order.
/// </summary>
[GenerateSerializer, Immutable, Alias("BotState.ChangeCursor")]
public readonly record struct ChangeCursor([property: Id(0)] long Transaction, [property: Id(1)] long Sequence)
{
    private const string Version = "1";

    /// <summary>Before every event: the oldest one kept comes next.</summary>
    public static ChangeCursor Start => default;

    /// <summary>The cursor as URL-safe text.</summary>
    public string Encode() =>
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{Version}.{Transaction}.{Sequence}")));

    /// <summary>Reads text made by <see cref="Encode"/>; false for anything else.</summary>
    public static bool TryDecode(string? text, out ChangeCursor cursor)
    {
        cursor = default;
        Span<byte> bytes = stackalloc byte[64];
        if (string.IsNullOrEmpty(text) || text.Length > 64 || !Base64Url.IsValid(text) || !Base64Url.TryDecodeFromChars(text, bytes, out var length))
        {
            return false;
        }

        var parts = Encoding.ASCII.GetString(bytes[..length]).Split('.');
        if (parts is not [Version, var transaction, var sequence]
            || !long.TryParse(transaction, NumberStyles.None, CultureInfo.InvariantCulture, out var transactionId)
            || !long.TryParse(sequence, NumberStyles.None, CultureInfo.InvariantCulture, out var sequenceNumber))
        {
            return false;
        }

        cursor = new ChangeCursor(transactionId, sequenceNumber);
        return true;
    }

    /// <inheritdoc/>
    public override string ToString() => Encode();
}

/// <summary>
/// One event of a tenant's change feed: a change to a conversation, written in the same transaction as the change.
/// </summary>
/// <param name="Cursor">Where a reader that has handled this event resumes.</param>
/// <param name="Kind">One of <see cref="ChangeKinds"/>.</param>
/// <param name="ThreadId">The conversation's user id.</param>
/// <param name="Version">The version the change produced (an erasure's is its tombstone's).</param>
/// <param name="At">When the change was stored.</param>
/// <param name="Reason">Why the conversation was erased (<see cref="ErasureReasons"/>); null for other kinds.</param>
/// <param name="StateJson">The state the change left, its <c>to_dict</c> JSON as stored; null for an erasure.</param>
[GenerateSerializer, Immutable, Alias("BotState.ChangeEvent")]
public sealed record ChangeEvent(
    [property: Id(0)] ChangeCursor Cursor,
    [property: Id(1)] string Kind,
    [property: Id(2)] string ThreadId,
    [property: Id(3)] int Version,
    [property: Id(4)] DateTimeOffset At,
    [property: Id(5)] string? Reason,
    [property: Id(6)] string? StateJson);
