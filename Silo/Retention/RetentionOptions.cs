using BotStateCluster.ServiceDefaults;
using Microsoft.Extensions.Options;

namespace BotStateCluster.Silo.Retention;

/// <summary>
/// How long data is kept (environment: <c>STATE_TTL</c>, <c>HISTORY_TTL</c>, <c>TOMBSTONE_TTL</c>, <c>CHANGES_TTL</c>,
/// <c>RETENTION_SWEEP_INTERVAL</c>). Durations are written <c>30d</c>, <c>12h</c>, <c>90m</c>, <c>45s</c>;
/// a blank TTL keeps that kind of data forever.
/// </summary>
public sealed class RetentionOptions
{
    /// <summary>The default of <c>TOMBSTONE_TTL</c>.</summary>
    public const string DefaultTombstoneTtl = "30d";

    /// <summary>The default of <c>CHANGES_TTL</c>.</summary>
    public const string DefaultChangesTtl = "7d";

    /// <summary>The default of <c>RETENTION_SWEEP_INTERVAL</c>.</summary>
    public const string DefaultSweepInterval = "5m";

    /// <summary>A conversation not updated for this long is erased; blank keeps it forever.</summary>
    [ConfigurationKeyName("STATE_TTL")]
    public string? StateTtl { get; set; }

    /// <summary>Snapshots older than this are trimmed; blank keeps them (up to <c>HISTORY_LIMIT</c>).</summary>
    [ConfigurationKeyName("HISTORY_TTL")]
    public string? HistoryTtl { get; set; }

    /// <summary>Tombstones older than this are purged, and the user id with them.</summary>
    [ConfigurationKeyName("TOMBSTONE_TTL")]
    public string? TombstoneTtl { get; set; } = DefaultTombstoneTtl;

    /// <summary>
    /// Events of the change feed older than this are purged, and failed webhook deliveries with them: after it, the feed
    /// holds nothing of an erased user (its erasure event names it, with no state).
    /// </summary>
    [ConfigurationKeyName("CHANGES_TTL")]
    public string? ChangesTtl { get; set; } = DefaultChangesTtl;

    /// <summary>How often a silo tries to sweep.</summary>
    [ConfigurationKeyName("RETENTION_SWEEP_INTERVAL")]
    public string? SweepInterval { get; set; } = DefaultSweepInterval;

    /// <summary>The parsed <c>STATE_TTL</c>, null when unset.</summary>
    public TimeSpan? StateTimeToLive => Optional(StateTtl);

    /// <summary>The parsed <c>HISTORY_TTL</c>, null when unset.</summary>
    public TimeSpan? HistoryTimeToLive => Optional(HistoryTtl);

    /// <summary>The parsed <c>TOMBSTONE_TTL</c>; blank means the default.</summary>
    public TimeSpan TombstoneTimeToLive => Required(TombstoneTtl, DefaultTombstoneTtl);

    /// <summary>The parsed <c>CHANGES_TTL</c>; blank means the default.</summary>
    public TimeSpan ChangesTimeToLive => Required(ChangesTtl, DefaultChangesTtl);

    /// <summary>The parsed <c>RETENTION_SWEEP_INTERVAL</c>; blank means the default.</summary>
    public TimeSpan SweepEvery => Required(SweepInterval, DefaultSweepInterval);

    private static TimeSpan? Optional(string? text) =>
        string.IsNullOrWhiteSpace(text) ? null : Duration.TryParse(text, out var value) ? value : throw Invalid(text);

    private static TimeSpan Required(string? text, string fallback) =>
        Optional(string.IsNullOrWhiteSpace(text) ? fallback : text)!.Value;

    private static FormatException Invalid(string text) => new($"'{text}' is not a duration.");
}

internal sealed class RetentionOptionsValidator : IValidateOptions<RetentionOptions>
{
    /// <summary>The shortest sweep interval: sweeping more often only adds load.</summary>
    public static readonly TimeSpan MinSweepInterval = TimeSpan.FromSeconds(1);

    /// <summary>The longest sweep interval: data would outlive its TTL by more than a day.</summary>
    public static readonly TimeSpan MaxSweepInterval = TimeSpan.FromDays(1);

    public ValidateOptionsResult Validate(string? name, RetentionOptions options)
    {
        var failures = new List<string>();
        CheckTtl("STATE_TTL", options.StateTtl, failures);
        CheckTtl("HISTORY_TTL", options.HistoryTtl, failures);
        CheckTtl("TOMBSTONE_TTL", options.TombstoneTtl, failures);
        CheckTtl("CHANGES_TTL", options.ChangesTtl, failures);
        if (!string.IsNullOrWhiteSpace(options.SweepInterval))
        {
            if (!Duration.TryParse(options.SweepInterval, out var interval))
            {
                failures.Add(NotADuration("RETENTION_SWEEP_INTERVAL", options.SweepInterval));
            }
            else if (interval < MinSweepInterval || interval > MaxSweepInterval)
            {
                failures.Add($"RETENTION_SWEEP_INTERVAL must be between 1s and 1d, not '{options.SweepInterval}'.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckTtl(string variable, string? text, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return;
        }

        if (!Duration.TryParse(text, out var ttl))
        {
            failures.Add(NotADuration(variable, text));
        }
        else if (ttl <= TimeSpan.Zero)
        {
            failures.Add($"{variable} must be longer than zero, not '{text}'; leave it unset to keep that data forever.");
        }
    }

    private static string NotADuration(string variable, string text) =>
        $"{variable} must be a duration such as 30d, 12h, 90m or 45s, not '{text}'.";
}
