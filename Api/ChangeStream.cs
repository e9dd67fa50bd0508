using System.ComponentModel;
using System.Reflection;
using System.Text;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace BotStateCluster.Api;

/// <summary>
/// Where <c>GET /v1/changes/stream</c> starts: <c>Last-Event-ID</c>, which a reconnecting <c>EventSource</c> sends, else
/// <c>cursor</c>, else the oldest event kept.
/// </summary>
internal sealed record ChangeStreamRequest(
    [property: FromQuery(Name = "cursor"), Description("Stream the events after this cursor (an event's id); absent, from the oldest kept.")]
    string? Cursor,
    [property: FromHeader(Name = "Last-Event-ID"), Description("The id of the last event received: the stream resumes after it (wins over cursor).")]
    string? LastEventId)
{
    /// <summary>Why the request cannot run, or null.</summary>
    public string? Problem() => Start is null
        ? "Last-Event-ID or cursor is not a cursor this service gave out; send the id of the last event received unchanged."
        : null;

    /// <summary>Where the stream starts, or null when the given cursor is not valid.</summary>
    public ChangeCursor? Start => (LastEventId ?? Cursor) switch
    {
        null => ChangeCursor.Start,
        var text when ChangeCursor.TryDecode(text, out var cursor) => cursor,
        _ => null,
    };
}

/// <summary>
/// The change feed as Server-Sent Events: each event <c>id: &lt;cursor&gt;</c> and <c>data: &lt;event JSON&gt;</c>, a
/// comment line when nothing happened for <see cref="KeepAliveInterval"/> (so that proxies keep the connection), until
/// the client goes away or the process shuts down; the client then reconnects with <c>Last-Event-ID</c>.
/// </summary>
internal sealed partial class ChangeStream(
    IGrainFactory grains, ClusterRetry retry, TenantId tenant, ChangeCursor start, IReadOnlyList<ChangeEvent> first, TimeProvider clock, CancellationToken stopping)
    : IResult, IStatusCodeHttpResult, IEndpointMetadataProvider
{
    public const string MediaType = "text/event-stream";

    /// <summary>The longest silence on the stream.</summary>
    public static readonly TimeSpan KeepAliveInterval = TimeSpan.FromSeconds(15);

    // Events per read: a reader that is behind catches up a page at a time.
    private const int PageSize = 100;

    /// <summary>How long a client should wait before it reconnects, in milliseconds (the stream's <c>retry:</c>).</summary>
    private const int ReconnectMilliseconds = 1000;

    public int? StatusCode => StatusCodes.Status200OK;

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(string), [MediaType]));

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = MediaType;
        response.Headers.CacheControl = "no-cache";
        // Proxies that buffer responses (nginx) would hold the events back.
        response.Headers["X-Accel-Buffering"] = "no";
        var cancellationToken = httpContext.RequestAborted;
        try
        {
            await WriteAsync(response, $"retry: {ReconnectMilliseconds}\n\n", cancellationToken);
            var cursor = await SendAsync(response, first, start, cancellationToken);
            while (!stopping.IsCancellationRequested)
            {
                var events = await ChangeReads.NextAsync(grains, retry, tenant, cursor, PageSize, KeepAliveInterval, clock, stopping, cancellationToken);
                cursor = events.Count > 0 ? await SendAsync(response, events, cursor, cancellationToken) : await KeepAliveAsync(response, cursor, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away: nothing to answer.
        }
        catch (Exception exception) when (ServiceUnavailable.IsCause(exception))
        {
            // The answer has begun, so it cannot become a 503: the stream ends, and the client reconnects from its last id.
            LogStreamEnded(httpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger<ChangeStream>(), ServiceUnavailable.Describe(exception));
        }
    }

    private static async Task<ChangeCursor> SendAsync(HttpResponse response, IReadOnlyList<ChangeEvent> events, ChangeCursor cursor, CancellationToken cancellationToken)
    {
        foreach (var change in events)
        {
            await response.Body.WriteAsync(Encoding.UTF8.GetBytes($"id: {change.Cursor.Encode()}\ndata: "), cancellationToken);
            // JSON escapes every line break inside strings: the event is one data line.
            await response.Body.WriteAsync(ChangeEventJson.ToUtf8(change), cancellationToken);
            await response.Body.WriteAsync("\n\n"u8.ToArray(), cancellationToken);
            cursor = change.Cursor;
        }

        await response.Body.FlushAsync(cancellationToken);
        return cursor;
    }

    private static async Task<ChangeCursor> KeepAliveAsync(HttpResponse response, ChangeCursor cursor, CancellationToken cancellationToken)
    {
        await WriteAsync(response, ": nothing new\n\n", cancellationToken);
        return cursor;
    }

    private static async Task WriteAsync(HttpResponse response, string text, CancellationToken cancellationToken)
    {
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A change stream ended because a dependency failed ({Reason}); its client reconnects")]
    private static partial void LogStreamEnded(ILogger logger, string reason);
}
