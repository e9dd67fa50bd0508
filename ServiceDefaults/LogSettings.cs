using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace BotStateCluster.ServiceDefaults;

/// <summary>
/// <c>LOG_LEVEL</c> and <c>LOG_FORMAT</c>, read before the host is built because logging comes first.
/// </summary>
public sealed record LogSettings(LogLevel Level, bool Json)
{
    private static readonly Dictionary<string, LogLevel> Levels = new(StringComparer.OrdinalIgnoreCase)
    {
        // .NET names
        ["Trace"] = LogLevel.Trace,
        ["Debug"] = LogLevel.Debug,
        ["Information"] = LogLevel.Information,
        ["Warning"] = LogLevel.Warning,
        ["Error"] = LogLevel.Error,
        ["Critical"] = LogLevel.Critical,
        ["None"] = LogLevel.None,
        // Python names, as the FastAPI service read them
        ["NOTSET"] = LogLevel.Trace,
        ["INFO"] = LogLevel.Information,
        ["WARN"] = LogLevel.Warning,
        ["FATAL"] = LogLevel.Critical,
    };

    /// <summary>Reads the two variables.</summary>
    /// <exception cref="ConfigurationError">A value is not one of the accepted names.</exception>
    public static LogSettings From(IConfiguration configuration)
    {
        var levelText = configuration["LOG_LEVEL"];
        var level = LogLevel.Information;
        if (!string.IsNullOrWhiteSpace(levelText) && !Levels.TryGetValue(levelText.Trim(), out level))
        {
            throw new ConfigurationError($"LOG_LEVEL must be one of {string.Join(", ", Levels.Keys)} (or DEBUG, INFO, WARNING, ERROR, CRITICAL), not '{levelText}'.");
        }

        var format = configuration["LOG_FORMAT"]?.Trim().ToLowerInvariant();
        return format switch
        {
            null or "" or "json" => new LogSettings(level, Json: true),
            "text" => new LogSettings(level, Json: false),
            _ => throw new ConfigurationError($"LOG_FORMAT must be 'json' or 'text', not '{format}'."),
        };
    }
}
