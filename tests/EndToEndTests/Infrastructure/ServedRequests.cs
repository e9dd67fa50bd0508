using System.Globalization;
using System.Text.RegularExpressions;

namespace BotStateCluster.EndToEndTests;

/// <summary>
/// The requests a process answered, as it timed them itself: ASP.NET Core's "Request finished" lines, from the request's
/// arrival to its answer. This is the time the service controls; what a client measures adds the client's own turns for
/// a core, which on a machine shared with other builds can be most of it.
/// </summary>
public static partial class ServedRequests
{
    /// <summary>The environment that makes a process log them (the category's Information lines).</summary>
    public static readonly IReadOnlyDictionary<string, string> LoggingSettings = new Dictionary<string, string>
    {
        ["Logging__LogLevel__Microsoft.AspNetCore.Hosting.Diagnostics"] = "Information",
    };

    /// <summary>Every <paramref name="method"/> request whose path ends with <paramref name="pathSuffix"/> in <paramref name="output"/>.</summary>
    public static IReadOnlyList<ServedRequest> In(string output, string method, string pathSuffix) =>
        [.. Finished().Matches(output)
            .Where(line => line.Groups["method"].Value == method && line.Groups["path"].Value.EndsWith(pathSuffix, StringComparison.Ordinal))
            .Select(line => new ServedRequest(
                TimeOnly.ParseExact(line.Groups["at"].Value, "HH:mm:ss.fff", CultureInfo.InvariantCulture),
                int.Parse(line.Groups["status"].Value, CultureInfo.InvariantCulture),
                TimeSpan.FromMilliseconds(double.Parse(line.Groups["ms"].Value, CultureInfo.InvariantCulture))))];

    // 12:00:01.234 info: Microsoft.AspNetCore.Hosting.Diagnostics[2] Request finished HTTP/1.1 POST http://127.0.0.1:1234/v1/states/u/messages - 503 262 application/problem+json 1003.4567ms
    [GeneratedRegex(@"^(?<at>\d\d:\d\d:\d\d\.\d{3}) info: Microsoft\.AspNetCore\.Hosting\.Diagnostics\[2\] Request finished \S+ (?<method>[A-Z]+) (?<path>\S+) - (?<status>\d{3}) .* (?<ms>[\d.]+)ms$", RegexOptions.Multiline)]
    private static partial Regex Finished();
}

/// <summary>One answered request: when the answer went out (UTC time of day, as the log writes it), its status, how long it took.</summary>
public sealed record ServedRequest(TimeOnly Answered, int Status, TimeSpan Took)
{
    /// <summary>Whether the request was under way at some moment between <paramref name="from"/> and <paramref name="to"/> (UTC).</summary>
    public bool Overlaps(DateTime from, DateTime to) =>
        Answered >= TimeOnly.FromDateTime(from) && Answered.Add(-Took) <= TimeOnly.FromDateTime(to);

    public override string ToString() => $"answered {Answered:HH:mm:ss.fff}: {Status} after {Took.TotalSeconds:0.000} s";
}
