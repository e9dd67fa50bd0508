using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace BotStateCluster.EndToEndTests;

/// <summary>
/// Times how long the service takes to answer: from sending a request to receiving its response headers, which leaves
/// out what the test then does with the answer (reading it, checking it against the OpenAPI document) on a machine
/// whose cores the test shares with the processes it measures.
/// </summary>
public sealed class AnswerTimer() : DelegatingHandler(new SocketsHttpHandler())
{
    private static readonly AsyncLocal<StrongBox<TimeSpan>?> Current = new();

    /// <summary>Runs <paramref name="send"/>; the time is that of the first request it makes through this handler.</summary>
    public static async Task<(T Result, TimeSpan Took)> TimeAsync<T>(Func<Task<T>> send)
    {
        var took = new StrongBox<TimeSpan>();
        Current.Value = took;
        var result = await send();
        return (result, took.Value);
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var response = await base.SendAsync(request, cancellationToken);
        if (Current.Value is { Value: var took } box && took == TimeSpan.Zero)
        {
            box.Value = Stopwatch.GetElapsedTime(started);
        }

        return response;
    }
}
