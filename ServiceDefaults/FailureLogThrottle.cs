using System.Collections.Concurrent;

namespace BotStateCluster.ServiceDefaults;

/// <summary>
/// Lets one log line through per distinct failure and interval, counting the rest: an outage under load
/// logs a line every few seconds, not a stack trace per request.
/// </summary>
public sealed class FailureLogThrottle(TimeProvider clock)
{
    /// <summary>How often the same failure is logged again while it lasts.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);

    /// <summary>
    /// Whether to log the failure named <paramref name="key"/> now; if so, <paramref name="suppressed"/> says how many
    /// occurrences were not logged since the last line.
    /// </summary>
    public bool ShouldLog(string key, out int suppressed)
    {
        var now = clock.GetUtcNow();
        var window = _windows.GetOrAdd(key, _ => new Window());
        lock (window)
        {
            if (window.LoggedAt is { } last && now - last < Interval)
            {
                window.Suppressed++;
                suppressed = 0;
                return false;
            }

            suppressed = window.Suppressed;
            window.Suppressed = 0;
            window.LoggedAt = now;
            return true;
        }
    }

    private sealed class Window
    {
        public DateTimeOffset? LoggedAt { get; set; }

        public int Suppressed { get; set; }
    }
}
