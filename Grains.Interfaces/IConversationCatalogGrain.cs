namespace BotStateCluster;

/// <summary>
/// The operators' view of every conversation, answered from the storage's indexes without activating
/// the grains of the users it lists. A stateless worker: address it with key 0.
/// </summary>
[Alias("BotState.IConversationCatalogGrain")]
public interface IConversationCatalogGrain : IGrainWithIntegerKey
{
    /// <summary>One page of conversations, most recently updated first.</summary>
    [Alias("List")]
    Task<ConversationPage> ListAsync(ConversationQuery query, CancellationToken cancellationToken = default);
}

/// <summary>What to list: the tenant's conversations, a page size, where the previous page ended, and filters (null = any).</summary>
[GenerateSerializer, Immutable, Alias("BotState.ConversationQuery")]
public sealed record ConversationQuery(
    [property: Id(6)] TenantId Tenant,
    [property: Id(0)] int Limit,
    [property: Id(1)] ConversationCursor? After = null,
    [property: Id(2)] DateTimeOffset? UpdatedAfter = null,
    [property: Id(3)] DateTimeOffset? UpdatedBefore = null,
    [property: Id(4)] string? CurrentNode = null,
    [property: Id(5)] string? IntentId = null)
{
    /// <summary>The largest page.</summary>
    public const int MaxLimit = 1000;

    /// <summary>The page size when none is asked for.</summary>
    public const int DefaultLimit = 100;
}

/// <summary>One conversation in a listing: no state, only what identifies and summarises it.</summary>
[GenerateSerializer, Immutable, Alias("BotState.ConversationSummary")]
public sealed record ConversationSummary(
    [property: Id(0)] string ThreadId,
    [property: Id(1)] int Version,
    [property: Id(2)] DateTimeOffset UpdatedAt,
    [property: Id(3)] string? CurrentNode,
    [property: Id(4)] string? IntentId);

/// <summary>A page of a listing; <see cref="Next"/> continues it, null on the last page.</summary>
[GenerateSerializer, Immutable, Alias("BotState.ConversationPage")]
public sealed record ConversationPage(
    [property: Id(0)] IReadOnlyList<ConversationSummary> Items,
    [property: Id(1)] ConversationCursor? Next);

/// <summary>
/// Where a listing page ended: the last item's update time and user id, the keyset the next page starts
/// below. Clients see it only as the opaque <see cref="Encode"/> text.
/// </summary>
[GenerateSerializer, Immutable, Alias("BotState.ConversationCursor")]
public sealed record ConversationCursor(
    [property: Id(0)] DateTimeOffset UpdatedAt,
    [property: Id(1)] string ThreadId)
{
    private const string Version = "1";

    /// <summary>The cursor as URL-safe text.</summary>
    public string Encode() =>
        Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{Version}\n{PythonDate.Format(UpdatedAt)}\n{ThreadId}"))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Reads text made by <see cref="Encode"/>; false for anything else.</summary>
    public static bool TryDecode(string? text, out ConversationCursor? cursor)
    {
        cursor = null;
        if (string.IsNullOrEmpty(text) || text.Length > 2048)
        {
            return false;
        }

        var base64 = text.Replace('-', '+').Replace('_', '/');
        base64 += new string('=', (4 - base64.Length % 4) % 4);
        var bytes = new byte[base64.Length];
        if (!Convert.TryFromBase64String(base64, bytes, out var length))
        {
            return false;
        }

        string decoded;
        try
        {
            decoded = new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, 0, length);
        }
        catch (System.Text.DecoderFallbackException)
        {
            return false;
        }

        var parts = decoded.Split('\n', 3);
        if (parts is not [Version, var date, var threadId] || !PythonDate.TryParse(date, out var updatedAt) || UserId.Validate(threadId) is not null)
        {
            return false;
        }

        cursor = new ConversationCursor(updatedAt, threadId);
        return true;
    }
}
