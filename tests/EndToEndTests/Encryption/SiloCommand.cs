using System.Collections.Concurrent;
using System.Diagnostics;
using BotStateCluster.ServiceDefaults;

namespace BotStateCluster.EndToEndTests;

/// <summary>A command of the silo executable (<c>rotate-keys</c>, <c>encrypt-existing</c>) run as its own process, each output line timed.</summary>
public sealed class SiloCommand : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly ConcurrentQueue<(TimeSpan At, string Line)> _lines = new();

    private SiloCommand(Process process) => _process = process;

    /// <summary>Every line so far, standard output and error, with when it came.</summary>
    public IReadOnlyList<(TimeSpan At, string Line)> Lines => [.. _lines];

    public string Output => string.Join(Environment.NewLine, _lines.Select(line => line.Line));

    public int ExitCode => _process.ExitCode;

    public static SiloCommand Start(IReadOnlyDictionary<string, string> environment, string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo(
            Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet",
            [BuildOutput.AssemblyOf(ServiceKind.Silo), .. arguments])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var name in start.Environment.Keys.Where(EnvironmentVariables.IsRead).ToList())
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var command = new SiloCommand(new Process { StartInfo = start });
        command._process.OutputDataReceived += (_, line) => command.Add(line.Data);
        command._process.ErrorDataReceived += (_, line) => command.Add(line.Data);
        command._process.Start();
        command._process.BeginOutputReadLine();
        command._process.BeginErrorReadLine();
        return command;
    }

    /// <summary>Waits for the exit; fails the test when it does not come in time.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The command did not exit within {timeout.TotalSeconds:0} s:{Environment.NewLine}{Output}");
        }

        return _process.ExitCode;
    }

    /// <summary>Waits until a line matching <paramref name="condition"/> has come.</summary>
    public Task WaitForLineAsync(string what, Func<string, bool> condition, TimeSpan timeout) =>
        Poll.UntilAsync(what, timeout, () => Task.FromResult(_lines.Any(line => condition(line.Line)) || _process.HasExited), () => Output);

    /// <summary>Crash: SIGKILL, no chance to finish what it was doing.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private void Add(string? line)
    {
        if (line is not null)
        {
            _lines.Enqueue((_clock.Elapsed, line));
        }
    }
}
