using System.ComponentModel;
using System.Globalization;
using Microsoft.AspNetCore.Mvc;

namespace BotStateCluster.Api;

/// <summary>
/// The query of <c>GET /v1/changes</c>, read as text so that a bad value gets a 400 that names it: <c>cursor</c> (the
/// <c>next_cursor</c> or an event's <c>cursor</c>; absent, from the oldest event kept), <c>limit</c> 1–1000 (default
/// 100), <c>wait</c> 0–30 seconds of long polling while nothing is new.
/// </summary>
internal sealed record ChangesRequest(
    [property: FromQuery(Name = "cursor"), Description("Events after this cursor: next_cursor, or an event's cursor. Absent: from the oldest kept.")]
    string? Cursor,
    [property: FromQuery(Name = "limit"), Description("Events per page, 1 to 1000 (default 100).")]
    string? Limit,
    [property: FromQuery(Name = "wait"), Description("Seconds to wait for an event when there is none, 0 to 30 (default 0).")]
    string? Wait)
{
    /// <summary>The longest long poll, in seconds.</summary>
    public const int MaxWaitSeconds = 30;

    /// <summary>Why the query cannot run, or null.</summary>
    public string? Problem()
    {
        if (Cursor is not null && !ChangeCursor.TryDecode(Cursor, out _))
        {
            return "cursor is not one this service gave out; pass next_cursor, or an event's cursor, unchanged.";
        }

        if (Limit is not null && !(int.TryParse(Limit, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit is >= 1 and <= ChangeFeedLimits.MaxLimit))
        {
            return $"limit must be a whole number from 1 to {ChangeFeedLimits.MaxLimit}.";
        }

        if (Wait is not null && !(int.TryParse(Wait, NumberStyles.None, CultureInfo.InvariantCulture, out var wait) && wait <= MaxWaitSeconds))
        {
            return $"wait must be a whole number of seconds from 0 to {MaxWaitSeconds}.";
        }

        return null;
    }

    /// <summary>Where to read from; call only when <see cref="Problem"/> is null.</summary>
    public ChangeCursor After => Cursor is not null && ChangeCursor.TryDecode(Cursor, out var cursor) ? cursor : ChangeCursor.Start;

    /// <summary>How many events at most; call only when <see cref="Problem"/> is null.</summary>
    public int PageSize => Limit is null ? ChangeFeedLimits.DefaultLimit : int.Parse(Limit, NumberStyles.None, CultureInfo.InvariantCulture);

    /// <summary>How long to wait for an event; call only when <see cref="Problem"/> is null.</summary>
    public TimeSpan WaitTime => Wait is null ? TimeSpan.Zero : TimeSpan.FromSeconds(int.Parse(Wait, NumberStyles.None, CultureInfo.InvariantCulture));
}
