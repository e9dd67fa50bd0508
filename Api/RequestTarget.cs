using System.Text;

namespace BotStateCluster.Api;

/// <summary>
/// The path of a request target exactly as the client sent it, split into segments and each decoded
/// once, strictly. This is what makes one URL name one conversation:
/// <list type="bullet">
/// <item>Kestrel decodes the path for routing, but leaves <c>%2F</c> encoded (a user id may hold a
/// slash) and leaves bytes that are not UTF-8 as they were sent, while it does decode <c>%25</c>.
/// Its path is therefore ambiguous: <c>a%252F</c> and <c>a%2F</c>, <c>a%25FF</c> and <c>a%FF</c>
/// all arrive as the same text. Decoding the raw segment once removes the ambiguity.</item>
/// <item>Kestrel also removes dot segments (<c>..</c>, <c>%2e%2e</c>) before routing. A target with
/// a dot segment is refused, so the raw segments and the routed ones are the same list and the
/// routed position of <c>{userId}</c> names the raw segment it came from.</item>
/// <item>An absolute-form target (<c>POST http://host/v1/…</c>) is reduced to its path first.</item>
/// </list>
/// </summary>
internal static class RequestTarget
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// The decoded segments of <paramref name="rawTarget"/>'s path (the first is the empty text before
    /// the leading slash), or null with the reason the target cannot be read unambiguously.
    /// </summary>
    public static string[]? TryDecodePath(string rawTarget, out string? problem)
    {
        var rawSegments = PathOf(rawTarget).Split('/');
        var segments = new string[rawSegments.Length];
        for (var i = 0; i < rawSegments.Length; i++)
        {
            if (TryDecodeSegment(rawSegments[i]) is not { } segment)
            {
                problem = $"The path segment '{rawSegments[i]}' is not valid percent-encoded UTF-8.";
                return null;
            }

            if (segment is "." or "..")
            {
                problem = "The path must not contain '.' or '..' segments (encoded or not).";
                return null;
            }

            segments[i] = segment;
        }

        problem = null;
        return segments;
    }

    /// <summary>A path segment with every <c>%XX</c> decoded once, or null when that is not UTF-8 text.</summary>
    public static string? TryDecodeSegment(string raw)
    {
        if (!raw.Contains('%'))
        {
            return raw;
        }

        var bytes = new List<byte>(raw.Length);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] == '%')
            {
                if (i + 2 >= raw.Length || !Uri.IsHexDigit(raw[i + 1]) || !Uri.IsHexDigit(raw[i + 2]))
                {
                    return null;
                }

                bytes.Add((byte)((Uri.FromHex(raw[i + 1]) << 4) | Uri.FromHex(raw[i + 2])));
                i += 2;
            }
            else if (Rune.TryGetRuneAt(raw, i, out var rune))
            {
                var length = rune.EncodeToUtf8(utf8);
                for (var b = 0; b < length; b++)
                {
                    bytes.Add(utf8[b]);
                }

                i += rune.Utf16SequenceLength - 1;
            }
            else
            {
                return null;
            }
        }

        try
        {
            return StrictUtf8.GetString([.. bytes]);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    private static string PathOf(string rawTarget)
    {
        var path = rawTarget;
        if (!path.StartsWith('/') && path.IndexOf("://", StringComparison.Ordinal) is var scheme and >= 0)
        {
            var slash = path.IndexOf('/', scheme + 3);
            path = slash < 0 ? "/" : path[slash..];
        }

        var query = path.IndexOfAny(['?', '#']);
        return query < 0 ? path : path[..query];
    }
}
