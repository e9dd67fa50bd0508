using BotStateCluster.Grains;
using Microsoft.Extensions.Options;

namespace BotStateCluster.Silo;

/// <summary>Settings only the silo reads (environment: <c>HISTORY_LIMIT</c>).</summary>
public sealed class SiloOptions
{
    /// <summary>Most snapshots kept per user; more would make every write trim a long tail.</summary>
    public const int MaxHistoryLimit = 10_000;

    /// <summary>Snapshots kept per user (0 = none).</summary>
    [ConfigurationKeyName("HISTORY_LIMIT")]
    public int HistoryLimit { get; set; } = new StateGrainOptions().HistoryLimit;
}

internal sealed class SiloOptionsValidator : IValidateOptions<SiloOptions>
{
    public ValidateOptionsResult Validate(string? name, SiloOptions options) =>
        options.HistoryLimit is >= 0 and <= SiloOptions.MaxHistoryLimit
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"HISTORY_LIMIT must be between 0 and {SiloOptions.MaxHistoryLimit}, not {options.HistoryLimit}.");
}
