using BotStateCluster.Grains;
using BotStateCluster.ServiceDefaults;
using Microsoft.Extensions.Options;

namespace BotStateCluster.Silo;

/// <summary>
/// Settings only the silo reads (environment: <c>HISTORY_LIMIT</c>, <c>DB_STARTUP_TIMEOUT</c>, <c>ACTIVATION_IDLE_TIMEOUT</c>,
/// <c>SILO_API_ENABLED</c>, <c>CHANGES_ENABLED</c>).
/// </summary>
public sealed class SiloOptions
{
    /// <summary>Most snapshots kept per user; more would make every write trim a long tail.</summary>
    public const int MaxHistoryLimit = 10_000;

    /// <summary>Snapshots kept per user (0 = none).</summary>
    [ConfigurationKeyName("HISTORY_LIMIT")]
    public int HistoryLimit { get; set; } = new StateGrainOptions().HistoryLimit;

    /// <summary>
    /// Seconds start-up waits for a database that is not up yet (it may start after the silo); 0 does not wait.
    /// A database that refuses the silo is never waited for.
    /// </summary>
    [ConfigurationKeyName("DB_STARTUP_TIMEOUT")]
    public double DatabaseStartupTimeoutSeconds { get; set; } = 30;

    /// <summary>The start-up wait for the database.</summary>
    public TimeSpan DatabaseStartupTimeout => TimeSpan.FromSeconds(DatabaseStartupTimeoutSeconds);

    /// <summary>
    /// Serve the v1 HTTP API on the silo's own listener as well, exactly as the gateway does (<c>API_KEYS</c>,
    /// <c>MAX_BODY_BYTES</c> and <c>API_DOCS_ENABLED</c> apply), calling the grains in-process: a request then crosses
    /// one process instead of two and no Orleans connection.
    /// </summary>
    [ConfigurationKeyName("SILO_API_ENABLED")]
    public bool ApiEnabled { get; set; }

    /// <summary>
    /// Record every acknowledged change in the change feed (DESIGN section 13), in the write's own statement. Off, a
    /// write costs one INSERT less and no event is recorded: for measuring what the feed costs.
    /// </summary>
    [ConfigurationKeyName("CHANGES_ENABLED")]
    public bool ChangesEnabled { get; set; } = true;

    /// <summary>The default of <c>ACTIVATION_IDLE_TIMEOUT</c>.</summary>
    public const string DefaultActivationIdleTimeout = "15m";

    /// <summary>
    /// Orleans collects idle activations once a minute (its collection quantum), so a shorter timeout
    /// than two of those would not be honoured; the state of an idle activation is already stored.
    /// </summary>
    public static readonly TimeSpan MinActivationIdleTimeout = TimeSpan.FromMinutes(2);

    /// <summary>An idle conversation's activation is collected after this (<c>30d</c>, <c>12h</c>, <c>90m</c>, <c>45s</c>).</summary>
    [ConfigurationKeyName("ACTIVATION_IDLE_TIMEOUT")]
    public string? ActivationIdleTimeoutText { get; set; } = DefaultActivationIdleTimeout;

    /// <summary>The parsed <c>ACTIVATION_IDLE_TIMEOUT</c>; blank means the default.</summary>
    public TimeSpan ActivationIdleTimeout =>
        Duration.TryParse(string.IsNullOrWhiteSpace(ActivationIdleTimeoutText) ? DefaultActivationIdleTimeout : ActivationIdleTimeoutText, out var value)
            ? value
            : throw new FormatException($"'{ActivationIdleTimeoutText}' is not a duration.");
}

internal sealed class SiloOptionsValidator : IValidateOptions<SiloOptions>
{
    public ValidateOptionsResult Validate(string? name, SiloOptions options)
    {
        var failures = new List<string>();
        if (options.HistoryLimit is < 0 or > SiloOptions.MaxHistoryLimit)
        {
            failures.Add($"HISTORY_LIMIT must be between 0 and {SiloOptions.MaxHistoryLimit}, not {options.HistoryLimit}.");
        }

        if (options.DatabaseStartupTimeoutSeconds is < 0 or > 3600)
        {
            failures.Add($"DB_STARTUP_TIMEOUT must be a number of seconds from 0 to 3600, not {options.DatabaseStartupTimeoutSeconds}.");
        }

        if (!string.IsNullOrWhiteSpace(options.ActivationIdleTimeoutText)
            && (!Duration.TryParse(options.ActivationIdleTimeoutText, out var idle) || idle < SiloOptions.MinActivationIdleTimeout))
        {
            failures.Add($"ACTIVATION_IDLE_TIMEOUT must be a duration of at least 2m such as 15m or 1h, not '{options.ActivationIdleTimeoutText}'.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
