using System.Globalization;
using System.Text.RegularExpressions;

namespace BotStateCluster;

/// <summary>
/// Dates as the Python service wrote them: ISO-8601, UTC, microseconds, <c>+00:00</c>.
/// </summary>
public static partial class PythonDate
{
    private const string IsoFormat = "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'ffffff'+00:00'";

    /// <summary>Drops the sub-microsecond ticks .NET keeps and Python cannot.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset value)
    {
        var utc = value.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % 10), TimeSpan.Zero);
    }

    /// <summary>Formats like Python's <c>datetime.isoformat(timespec="microseconds")</c> on an aware UTC date.</summary>
    public static string Format(DateTimeOffset value) =>
        Truncate(value).ToString(IsoFormat, CultureInfo.InvariantCulture);

    /// <summary>
    /// Parses what Python's <c>fromisoformat</c> accepts (date, optional time with fraction, optional
    /// <c>Z</c> or offset); a date without offset is taken as UTC, as the Python service stored them.
    /// </summary>
    public static bool TryParse(string text, out DateTimeOffset value)
    {
        value = default;
        if (!IsoShape().IsMatch(text))
        {
            return false;
        }

        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            return false;
        }

        value = Truncate(parsed);
        return true;
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?)?(Z|[+-]\d{2}:?\d{2})?\z", RegexOptions.CultureInvariant)]
    private static partial Regex IsoShape();
}
