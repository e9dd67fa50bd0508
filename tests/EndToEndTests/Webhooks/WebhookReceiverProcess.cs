using System.Net;
using System.Text.Json.Nodes;

namespace BotStateCluster.EndToEndTests;

/// <summary>
/// The test receiver (tests/WebhookReceiver) as a process on 127.0.0.1: it checks every request's signature, writes it
/// down with the answer it got, and answers as each tenant's mode says. Restartable on the same port and log.
/// </summary>
public sealed class WebhookReceiverProcess : IAsyncDisposable
{
    private readonly string _log;
    private readonly Uri _address;
    private readonly IReadOnlyDictionary<string, string> _secrets;
    private ServiceProcess _process;

    private WebhookReceiverProcess(string directory, IReadOnlyDictionary<string, string> secrets)
    {
        _log = Path.Combine(directory, "received.jsonl");
        _address = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        _secrets = secrets;
        _process = Launch(directory);
    }

    public string Directory => Path.GetDirectoryName(_log)!;

    /// <summary>Where <paramref name="tenant"/>'s webhook posts.</summary>
    public string UrlOf(string tenant) => new Uri(_address, $"/hooks/{tenant}").ToString();

    public ServiceProcess Process => _process;

    /// <summary>Starts a receiver that knows <paramref name="secrets"/> (tenant → whsec_ secret), and waits until it answers.</summary>
    public static async Task<WebhookReceiverProcess> StartAsync(string directory, IReadOnlyDictionary<string, string> secrets)
    {
        var receiver = new WebhookReceiverProcess(directory, secrets);
        await receiver._process.WaitUntilReadyAsync();
        return receiver;
    }

    /// <summary>How the receiver answers <paramref name="tenant"/>'s deliveries from now on: ok, fail (500) or hang.</summary>
    public async Task SetModeAsync(string tenant, string mode)
    {
        using var response = await _process.Http.PostAsync($"/control/{tenant}/{mode}", null);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    /// <summary>Kills the receiver (SIGKILL) and starts a new one on the same port and log; every mode is ok again.</summary>
    public async Task RestartAsync(Func<Task>? whileDown = null)
    {
        await _process.KillAsync();
        await _process.DisposeAsync();
        if (whileDown is not null)
        {
            await whileDown();
        }

        _process = Launch(Directory);
        await _process.WaitUntilReadyAsync();
    }

    /// <summary>Every request received so far, in arrival order: tenant, id, timestamp, verified, content_type, answer, body.</summary>
    public IReadOnlyList<JsonObject> Received()
    {
        if (!File.Exists(_log))
        {
            return [];
        }

        // A line being written is not complete yet: only whole lines count.
        var text = File.ReadAllText(_log);
        return [.. text[..(text.LastIndexOf('\n') + 1)].Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonNode.Parse(line)!.AsObject())];
    }

    /// <summary>The events delivered to <paramref name="tenant"/> (answered ok), in arrival order.</summary>
    public IReadOnlyList<JsonObject> Delivered(string tenant) =>
        [.. Received().Where(entry => entry["tenant"]!.GetValue<string>() == tenant && entry["answer"]!.GetValue<string>() == "ok")];

    public async ValueTask DisposeAsync() => await _process.DisposeAsync();

    private ServiceProcess Launch(string directory) => ServiceProcess.Start(ServiceKind.WebhookReceiver, _address, new Dictionary<string, string>
    {
        ["RECEIVER_SECRETS"] = string.Join(';', _secrets.Select(secret => $"{secret.Key}={secret.Value}")),
        ["RECEIVER_LOG"] = _log,
    }, directory);
}
