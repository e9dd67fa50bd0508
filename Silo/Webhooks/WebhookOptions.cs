using BotStateCluster.Api.Keys;
using BotStateCluster.Api.Webhooks;
using BotStateCluster.ServiceDefaults;
using Microsoft.Extensions.Options;

namespace BotStateCluster.Silo.Webhooks;

/// <summary>
/// Webhook delivery (environment: <c>WEBHOOK_URL</c>, <c>WEBHOOK_SECRET</c> for the tenant <c>default</c>; the other
/// tenants' in <c>API_KEYS_FILE</c>; <c>WEBHOOK_TIMEOUT</c>, <c>WEBHOOK_ATTEMPTS</c>, <c>WEBHOOK_RETRY_DELAY</c> for all).
/// </summary>
public sealed class WebhookOptions
{
    /// <summary>The default of <c>WEBHOOK_TIMEOUT</c>: the Standard Webhooks recommendation is 15 to 30 s.</summary>
    public const string DefaultTimeout = "15s";

    /// <summary>The default of <c>WEBHOOK_RETRY_DELAY</c>.</summary>
    public const string DefaultRetryDelay = "5s";

    /// <summary>The longest wait between two tries, however many came before.</summary>
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromHours(1);

    /// <summary>Where the tenant <c>default</c>'s events are POSTed; unset, it has no webhook (unless the key file gives one).</summary>
    [ConfigurationKeyName("WEBHOOK_URL")]
    public string? Url { get; set; }

    /// <summary>The tenant <c>default</c>'s signing secret, <c>whsec_…</c>.</summary>
    [ConfigurationKeyName("WEBHOOK_SECRET")]
    public string? Secret { get; set; }

    /// <summary>How long one try may take before it counts as failed.</summary>
    [ConfigurationKeyName("WEBHOOK_TIMEOUT")]
    public string? TimeoutText { get; set; } = DefaultTimeout;

    /// <summary>Tries per event before it is listed as a failed delivery.</summary>
    [ConfigurationKeyName("WEBHOOK_ATTEMPTS")]
    public int Attempts { get; set; } = 8;

    /// <summary>The wait before the second try; it doubles with each try after (with jitter), up to an hour.</summary>
    [ConfigurationKeyName("WEBHOOK_RETRY_DELAY")]
    public string? RetryDelayText { get; set; } = DefaultRetryDelay;

    /// <summary>The key file, whose <c>tenants</c> give the other tenants' webhooks (the API reads its keys).</summary>
    [ConfigurationKeyName("API_KEYS_FILE")]
    public string? ApiKeysFile { get; set; }

    /// <summary>The parsed <c>WEBHOOK_TIMEOUT</c>.</summary>
    public TimeSpan Timeout => Parse(TimeoutText, DefaultTimeout);

    /// <summary>The parsed <c>WEBHOOK_RETRY_DELAY</c>.</summary>
    public TimeSpan RetryDelay => Parse(RetryDelayText, DefaultRetryDelay);

    /// <summary>The tenant <c>default</c>'s endpoint from <c>WEBHOOK_URL</c> and <c>WEBHOOK_SECRET</c>, or null when unset.</summary>
    public WebhookEndpoint? DefaultEndpoint => string.IsNullOrWhiteSpace(Url) ? null : WebhookEndpoint.Parse(Url, Secret, "WEBHOOK_URL and WEBHOOK_SECRET");

    /// <summary>The wait after the <paramref name="attempt"/>th failed try: the retry delay doubled each time, up to an hour, ±20 %.</summary>
    public TimeSpan DelayAfter(int attempt, Random random)
    {
        var delay = RetryDelay * Math.Pow(2, Math.Min(attempt - 1, 20));
        var capped = delay < MaxRetryDelay ? delay : MaxRetryDelay;
        return capped * (0.8 + (0.4 * random.NextDouble()));
    }

    private static TimeSpan Parse(string? text, string fallback) =>
        Duration.TryParse(string.IsNullOrWhiteSpace(text) ? fallback : text, out var value) ? value : throw new FormatException($"'{text}' is not a duration.");
}

internal sealed class WebhookOptionsValidator : IValidateOptions<WebhookOptions>
{
    public ValidateOptionsResult Validate(string? name, WebhookOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Url) != string.IsNullOrWhiteSpace(options.Secret))
        {
            failures.Add("WEBHOOK_URL and WEBHOOK_SECRET go together: set both, or neither.");
        }
        else
        {
            try
            {
                _ = options.DefaultEndpoint;
            }
            catch (FormatException exception)
            {
                // The message names the variables and what is wrong, never the secret.
                failures.Add(exception.Message + ".");
            }
        }

        CheckDuration("WEBHOOK_TIMEOUT", options.TimeoutText, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5), failures);
        CheckDuration("WEBHOOK_RETRY_DELAY", options.RetryDelayText, TimeSpan.FromSeconds(1), WebhookOptions.MaxRetryDelay, failures);
        if (options.Attempts is < 1 or > 30)
        {
            failures.Add($"WEBHOOK_ATTEMPTS must be a whole number from 1 to 30, not {options.Attempts}.");
        }

        if (options.ApiKeysFile is { } file)
        {
            try
            {
                _ = ApiKeyFile.Read(File.ReadAllBytes(file));
            }
            catch (Exception exception) when (exception is FormatException or IOException or UnauthorizedAccessException)
            {
                failures.Add($"API_KEYS_FILE ({file}): {(exception is FormatException ? exception.Message : $"cannot read it ({exception.GetType().Name})")}.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckDuration(string variable, string? text, TimeSpan min, TimeSpan max, List<string> failures)
    {
        if (!string.IsNullOrWhiteSpace(text) && (!Duration.TryParse(text, out var value) || value < min || value > max))
        {
            failures.Add($"{variable} must be a duration from {min.TotalSeconds:0}s to {max.TotalSeconds:0}s such as 15s or 2m, not '{text}'.");
        }
    }
}
