namespace BotStateCluster.UnitTests;

/// <summary>Answers each request with the next scripted step, and records what it was sent.</summary>
internal sealed class ScriptedHttpHandler : HttpMessageHandler
{
    private readonly Queue<Func<CancellationToken, Task<HttpResponseMessage>>> _steps = new();

    public List<HttpRequestMessage> Requests { get; } = [];

    public List<string> Bodies { get; } = [];

    public ScriptedHttpHandler Answer(Func<HttpResponseMessage> answer)
    {
        _steps.Enqueue(_ => Task.FromResult(answer()));
        return this;
    }

    public ScriptedHttpHandler Fail(Exception exception)
    {
        _steps.Enqueue(_ => Task.FromException<HttpResponseMessage>(exception));
        return this;
    }

    /// <summary>Never answers; the client's timeout cancels it.</summary>
    public ScriptedHttpHandler Hang()
    {
        _steps.Enqueue(async cancellationToken =>
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("unreachable");
        });
        return this;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests.Add(request);
        Bodies.Add(request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken));
        var step = _steps.Count > 0 ? _steps.Dequeue() : throw new InvalidOperationException("The script has no step left.");
        var response = await step(cancellationToken);
        response.RequestMessage = request;
        return response;
    }

    // The handler is the tests', shared across clients; the factory must not dispose it.
    protected override void Dispose(bool disposing)
    {
    }
}
