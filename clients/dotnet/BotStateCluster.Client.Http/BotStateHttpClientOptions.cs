namespace BotStateCluster.Client.Http;

/// <summary>Where the API is and how patiently to call it; set in <c>AddBotStateHttpClient(options => …)</c>.</summary>
public sealed class BotStateHttpClientOptions
{
    /// <summary>The gateway's (or a silo's, with <c>SILO_API_ENABLED</c>) HTTP address, e.g. <c>http://botstate-gateway:8080</c>. Required.</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>The API key, sent as <c>Authorization: Bearer</c>; it decides the tenant. Null when the service is open.</summary>
    public string? ApiKey { get; set; }

    /// <summary>How long one attempt may take before it is abandoned (and retried, when that is safe).</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a call may take with all its retries and waits.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Attempts after the first, for calls that are safe to repeat.</summary>
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>The first backoff without <c>Retry-After</c>; it grows exponentially, with jitter.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Send an <c>Idempotency-Key</c> with every turn (a new one per call, the same on its retries), so that a
    /// retried turn is never applied twice. Without it turns are not retried.
    /// </summary>
    public bool SendIdempotencyKeys { get; set; } = true;

    /// <summary>What is wrong with these options, one line each; empty when they are sound.</summary>
    public IEnumerable<string> Problems()
    {
        if (BaseAddress is not { IsAbsoluteUri: true } || BaseAddress.Scheme is not ("http" or "https"))
        {
            yield return "BaseAddress must be an absolute http:// or https:// address of the gateway (or of a silo serving the API).";
        }

        if (ApiKey is { } key && (key.Length == 0 || key.Any(char.IsControl) || key.Trim() != key))
        {
            yield return "ApiKey must be the key as issued: not empty, no spaces around it, no control characters.";
        }

        if (AttemptTimeout <= TimeSpan.Zero || TotalTimeout < AttemptTimeout)
        {
            yield return "AttemptTimeout must be positive and TotalTimeout at least as long.";
        }

        if (MaxRetryAttempts < 0 || RetryDelay < TimeSpan.Zero)
        {
            yield return "MaxRetryAttempts and RetryDelay must not be negative.";
        }
    }
}
