using System.Globalization;
using Microsoft.AspNetCore.Mvc;

namespace BotStateCluster.Api;

/// <summary>
/// The query of <c>GET /v1/states</c>, read as text so that a bad value gets a 400 that names it. An
/// empty filter is no filter; date bounds are exclusive, ISO-8601 (an offset-less date is UTC).
/// </summary>
internal sealed record ListStatesRequest(
    [FromQuery(Name = "limit")] string? Limit,
    [FromQuery(Name = "cursor")] string? Cursor,
    [FromQuery(Name = "updated_after")] string? UpdatedAfter,
    [FromQuery(Name = "updated_before")] string? UpdatedBefore,
    [FromQuery(Name = "current_node")] string? CurrentNode,
    [FromQuery(Name = "intent_id")] string? IntentId)
{
    /// <summary>The query of <paramref name="tenant"/>'s conversations for the catalog, or null when a parameter is wrong (see <see cref="Problem"/>).</summary>
    public ConversationQuery? ToQuery(TenantId tenant) => Problem() is null
        ? new ConversationQuery(
            tenant,
            Limit is null ? ConversationQuery.DefaultLimit : int.Parse(Limit, NumberStyles.None, CultureInfo.InvariantCulture),
            Cursor is null ? null : Decode(Cursor),
            Date(UpdatedAfter),
            Date(UpdatedBefore),
            Blank(CurrentNode),
            Blank(IntentId))
        : null;

    /// <summary>Why the query cannot run, or null.</summary>
    public string? Problem()
    {
        if (Limit is not null && !(int.TryParse(Limit, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit is >= 1 and <= ConversationQuery.MaxLimit))
        {
            return $"limit must be a whole number from 1 to {ConversationQuery.MaxLimit}.";
        }

        if (Cursor is not null && !ConversationCursor.TryDecode(Cursor, out _))
        {
            return "cursor is not one this service gave out; pass next_cursor from the previous page unchanged.";
        }

        if (UpdatedAfter is not null && !PythonDate.TryParse(UpdatedAfter, out _))
        {
            return "updated_after must be an ISO-8601 date, such as 2026-01-31T12:00:00+00:00.";
        }

        if (UpdatedBefore is not null && !PythonDate.TryParse(UpdatedBefore, out _))
        {
            return "updated_before must be an ISO-8601 date, such as 2026-01-31T12:00:00+00:00.";
        }

        return null;
    }

    private static ConversationCursor? Decode(string text) => ConversationCursor.TryDecode(text, out var cursor) ? cursor : null;

    private static DateTimeOffset? Date(string? text) => text is not null && PythonDate.TryParse(text, out var date) ? date : null;

    private static string? Blank(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
