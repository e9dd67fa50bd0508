using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;

namespace BotStateCluster.EndToEndTests;

/// <summary>A Server-Sent Events response read as a client does: events of <c>id:</c> and <c>data:</c> lines, comments skipped.</summary>
public sealed class EventStream : IDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private EventStream(HttpResponseMessage response, Stream body)
    {
        _response = response;
        _reader = new StreamReader(body, Encoding.UTF8);
    }

    public HttpResponseMessage Response => _response;

    /// <summary>Opens <paramref name="pathAndQuery"/> as a stream, with <c>Last-Event-ID</c> when given.</summary>
    public static async Task<EventStream> OpenAsync(HttpClient http, string pathAndQuery, string? lastEventId = null, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, pathAndQuery);
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        return new EventStream(response, await response.Content.ReadAsStreamAsync());
    }

    /// <summary>The next events until <paramref name="done"/> holds for what was read, failing after <paramref name="timeout"/>.</summary>
    public async Task<List<(string Id, JsonObject Data)>> ReadUntilAsync(Func<List<(string Id, JsonObject Data)>, bool> done, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        var events = new List<(string, JsonObject)>();
        string? id = null;
        var data = new StringBuilder();
        var clock = Stopwatch.StartNew();
        while (!done(events))
        {
            string? line;
            try
            {
                line = await _reader.ReadLineAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Waited {timeout.TotalSeconds} s for events on the stream, got {events.Count}.");
            }

            if (line is null)
            {
                throw new InvalidOperationException($"The stream ended after {events.Count} events ({clock.Elapsed}).");
            }

            if (line.Length == 0)
            {
                if (data.Length > 0)
                {
                    events.Add((id ?? throw new InvalidOperationException("An event came without an id."), JsonNode.Parse(data.ToString())!.AsObject()));
                }

                (id, data) = (null, data.Clear());
            }
            else if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                id = line[4..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data.Append(line[6..]);
            }
        }

        return events;
    }

    public void Dispose()
    {
        _reader.Dispose();
        _response.Dispose();
    }
}
