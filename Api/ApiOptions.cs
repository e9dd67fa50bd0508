using BotStateCluster.Api.Keys;
using Microsoft.Extensions.Options;

namespace BotStateCluster.Api;

/// <summary>
/// Settings of the HTTP API (environment: <c>API_KEYS</c>, <c>API_KEYS_FILE</c>, <c>MAX_BODY_BYTES</c>, <c>API_DOCS_ENABLED</c>), read by the gateway and
/// by a silo that serves the API itself (<c>SILO_API_ENABLED</c>).
/// </summary>
public sealed class ApiOptions
{
    /// <summary>Comma-separated keys of the tenant <c>default</c> with every scope; unset, with no key file, leaves the API open.</summary>
    [ConfigurationKeyName("API_KEYS")]
    public string? ApiKeys { get; set; }

    /// <summary>A JSON file of hashed keys with tenants, scopes and rate limits (DESIGN section 11), re-read when it changes.</summary>
    [ConfigurationKeyName("API_KEYS_FILE")]
    public string? ApiKeysFile { get; set; }

    /// <summary>Whether requests need a key: <c>API_KEYS</c> or <c>API_KEYS_FILE</c> is set.</summary>
    public bool KeysConfigured => Keys.Count > 0 || ApiKeysFile is not null;

    /// <summary>Largest request body accepted.</summary>
    [ConfigurationKeyName("MAX_BODY_BYTES")]
    public long MaxBodyBytes { get; set; } = 1_048_576;

    /// <summary>Serve the browsable API reference at <c>/docs</c>.</summary>
    [ConfigurationKeyName("API_DOCS_ENABLED")]
    public bool ApiDocsEnabled { get; set; } = true;

    /// <summary>The configured keys, trimmed, blanks dropped.</summary>
    public IReadOnlyList<string> Keys =>
        [.. (ApiKeys ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}

internal sealed class ApiOptionsValidator : IValidateOptions<ApiOptions>
{
    // Keys shorter than this are guessable; refusing them beats a false sense of security.
    private const int MinKeyLength = 16;

    public ValidateOptionsResult Validate(string? name, ApiOptions options)
    {
        var failures = new List<string>();
        if (options.MaxBodyBytes is < 1024 or > 64 * 1024 * 1024)
        {
            failures.Add($"MAX_BODY_BYTES must be between 1024 and 67108864, not {options.MaxBodyBytes}.");
        }

        // A blank entry is a mistake (a list variable expanded empty), not a wish for an open API: refuse it rather
        // than start open, or with fewer keys than meant.
        if (!string.IsNullOrEmpty(options.ApiKeys) && options.ApiKeys.Split(',').Any(string.IsNullOrWhiteSpace))
        {
            failures.Add("API_KEYS contains an empty key: list keys separated by commas, or leave API_KEYS unset for an open API.");
        }
        else if (options.Keys.Select((key, i) => (key, i)).FirstOrDefault(pair => pair.key.Length < MinKeyLength) is ({ } shortKey, var position))
        {
            // The key itself is never repeated: a configuration error lands in logs.
            failures.Add($"API_KEYS: key {position + 1} has {shortKey.Length} characters, fewer than the {MinKeyLength} every key needs.");
        }

        if (options.ApiKeysFile is { } file)
        {
            try
            {
                _ = ApiKeyRing.Load(options);
            }
            catch (FormatException exception)
            {
                failures.Add($"API_KEYS_FILE ({file}): {exception.Message}.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
