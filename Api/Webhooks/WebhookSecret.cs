using System.Security.Cryptography;
using System.Text;

namespace BotStateCluster.Api.Webhooks;

/// <summary>
/// A Standard Webhooks signing secret: <c>whsec_</c> and the base64 of 24 to 64 random bytes. It signs
/// <c>{id}.{timestamp}.{body}</c> with HMAC-SHA256, sent as <c>v1,&lt;base64&gt;</c>. Never shown: its text is not kept,
/// and it prints as a placeholder.
/// </summary>
public sealed class WebhookSecret
{
    /// <summary>What every secret starts with.</summary>
    public const string Prefix = "whsec_";

    private const int MinBytes = 24;
    private const int MaxBytes = 64;

    private readonly byte[] _key;

    private WebhookSecret(byte[] key) => _key = key;

    /// <summary>Reads a secret, or says why it is not one (the reason never holds the text).</summary>
    public static bool TryParse(string? text, out WebhookSecret? secret, out string? problem)
    {
        secret = null;
        problem = $"must be {Prefix} followed by the base64 of {MinBytes} to {MaxBytes} random bytes";
        if (text is null || !text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var key = new byte[text.Length];
        if (!Convert.TryFromBase64String(text[Prefix.Length..], key, out var length) || length is < MinBytes or > MaxBytes)
        {
            return false;
        }

        secret = new WebhookSecret(key[..length]);
        problem = null;
        return true;
    }

    /// <summary>A new random secret, as a receiver is given it.</summary>
    public static string NewText() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>The <c>webhook-signature</c> of a message: <c>v1,</c> and the base64 HMAC-SHA256 of <c>{id}.{timestamp}.{body}</c>.</summary>
    public string Sign(string id, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{id}.{timestamp}."));
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(_key, signed));
    }

    /// <inheritdoc/>
    public override string ToString() => Prefix + "…";
}

/// <summary>Where a tenant's events are delivered, and the secret that signs them.</summary>
public sealed record WebhookEndpoint(Uri Url, WebhookSecret Secret)
{
    /// <summary>Reads an endpoint, or says why it is not one (naming <paramref name="where"/>, never the secret).</summary>
    public static WebhookEndpoint Parse(string? url, string? secret, string where)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || !string.IsNullOrEmpty(uri.UserInfo))
        {
            throw new FormatException($"{where}: the url must be an absolute http:// or https:// URL without credentials");
        }

        return WebhookSecret.TryParse(secret, out var parsed, out var problem)
            ? new WebhookEndpoint(uri, parsed!)
            : throw new FormatException($"{where}: the secret {problem}");
    }
}
