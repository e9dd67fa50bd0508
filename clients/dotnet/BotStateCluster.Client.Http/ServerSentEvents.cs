namespace BotStateCluster.Client.Http;

/// <summary>One event of a Server-Sent Events stream: its <c>id:</c> (null without one) and its <c>data:</c> lines, joined.</summary>
internal sealed record ServerSentEvent(string? Id, string Data);

/// <summary>
/// Reads the event stream format of the HTML standard, reduced to what the change feed sends: <c>id:</c> and
/// <c>data:</c> lines up to a blank line. Comments (the service's keep-alives) and <c>retry:</c> carry nothing here.
/// </summary>
internal static class ServerSentEvents
{
    /// <summary>The events of <paramref name="reader"/> as each one completes; <paramref name="heard"/> is called at every line.</summary>
    public static async IAsyncEnumerable<ServerSentEvent> ReadAsync(
        TextReader reader, Action heard, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? id = null;
        var data = new List<string>();
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            heard();
            if (line.Length == 0)
            {
                if (data.Count > 0)
                {
                    yield return new ServerSentEvent(id, string.Join('\n', data));
                }

                id = null;
                data.Clear();
                continue;
            }

            if (line.StartsWith(':'))
            {
                continue;
            }

            var colon = line.IndexOf(':');
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..];
            value = value.StartsWith(' ') ? value[1..] : value;
            if (field == "id")
            {
                id = value;
            }
            else if (field == "data")
            {
                data.Add(value);
            }
        }
    }
}
