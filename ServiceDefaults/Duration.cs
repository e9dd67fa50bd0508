using System.Globalization;
using System.Text.RegularExpressions;

namespace BotStateCluster.ServiceDefaults;

/// <summary>
/// Durations as operators write them in the environment: a whole number and one unit,
/// <c>30d</c>, <c>12h</c>, <c>90m</c>, <c>45s</c>.
/// </summary>
public static partial class Duration
{
    /// <summary>Parses <paramref name="text"/>; false for anything else, including a negative or fractional number.</summary>
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = default;
        var match = text is null ? null : Shape().Match(text.Trim());
        if (match is not { Success: true }
            || !long.TryParse(match.Groups["n"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            || number > MaxSeconds)
        {
            return false;
        }

        var seconds = match.Groups["unit"].Value switch
        {
            "d" => number * 86_400,
            "h" => number * 3_600,
            "m" => number * 60,
            _ => number,
        };
        if (seconds > MaxSeconds)
        {
            return false;
        }

        value = TimeSpan.FromSeconds(seconds);
        return true;
    }

    // About a hundred years: anything longer is a typo, and keeps date arithmetic far from overflow.
    private const long MaxSeconds = 36_500L * 86_400;

    [GeneratedRegex("^(?<n>[0-9]{1,12})(?<unit>[dhms])$", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();
}
