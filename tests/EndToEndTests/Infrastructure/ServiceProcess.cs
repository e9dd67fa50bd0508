using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;
using BotStateCluster.ServiceDefaults;

namespace BotStateCluster.EndToEndTests;

/// <summary>
/// One real silo or gateway process (<c>dotnet BotStateCluster.X.dll</c>) with an environment set
/// explicitly, its output captured for failure messages, and an HTTP client for its listener.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    /// <summary>How long a process may take to answer 200 on <c>/readiness</c>.</summary>
    public static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    /// <summary>How long a process may take to exit after SIGTERM before it is killed (the hosts allow 30 s).</summary>
    public static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(40);

    private const int SigTerm = 15;
    private const int TailLines = 80;
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);


    // Processes still running when the test host goes away are killed rather than left behind.
    private static readonly ConcurrentDictionary<int, Process> Running = new();

    private readonly Process _process;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly string _workingDirectory;
    private readonly Lock _gate = new();
    private readonly List<string> _output = [];
    private readonly List<string> _standardError = [];

    static ServiceProcess() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        foreach (var process in Running.Values)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
        }
    };

    private ServiceProcess(ServiceKind kind, Uri baseAddress, Process process, IReadOnlyDictionary<string, string> environment, string workingDirectory)
    {
        Kind = kind;
        BaseAddress = baseAddress;
        _process = process;
        _environment = environment;
        _workingDirectory = workingDirectory;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public ServiceKind Kind { get; }

    /// <summary>The process's HTTP listener (<c>ASPNETCORE_URLS</c>).</summary>
    public Uri BaseAddress { get; }

    /// <summary>A client for <see cref="BaseAddress"/>.</summary>
    public HttpClient Http { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The exit code; only once <see cref="HasExited"/>.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>Lines the process wrote to standard error so far.</summary>
    public IReadOnlyList<string> StandardError
    {
        get
        {
            lock (_gate)
            {
                return [.. _standardError];
            }
        }
    }

    /// <summary>Everything the process wrote so far, both streams, in arrival order.</summary>
    public string Output
    {
        get
        {
            lock (_gate)
            {
                return string.Join(Environment.NewLine, _output);
            }
        }
    }

    /// <summary>
    /// Starts <paramref name="kind"/> listening on <paramref name="baseAddress"/>, with the test runner's
    /// product settings removed and <paramref name="environment"/> set.
    /// </summary>
    public static ServiceProcess Start(ServiceKind kind, Uri baseAddress, IReadOnlyDictionary<string, string> environment, string workingDirectory)
    {
        var start = new ProcessStartInfo(DotnetHost, [BuildOutput.AssemblyOf(kind)])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
        };
        foreach (var name in start.Environment.Keys.ToList())
        {
            // A product setting inherited from the test runner's environment must never leak into a process under test.
            if (EnvironmentVariables.IsRead(name))
            {
                start.Environment.Remove(name);
            }
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        start.Environment["ASPNETCORE_URLS"] = baseAddress.GetLeftPart(UriPartial.Authority);

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var service = new ServiceProcess(kind, baseAddress, process, environment, workingDirectory);
        process.OutputDataReceived += (_, line) => service.Append(line.Data, standardError: false);
        process.ErrorDataReceived += (_, line) => service.Append(line.Data, standardError: true);
        process.Start();
        Running[process.Id] = process;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return service;
    }

    /// <summary>
    /// A new process of the same kind with the same settings and ports, as a restarted pod would be; this one must
    /// have exited (the ports are its).
    /// </summary>
    public ServiceProcess StartAgain() => HasExited
        ? Start(Kind, BaseAddress, _environment, _workingDirectory)
        : throw new InvalidOperationException($"The {Kind} pid {Id} still runs; stop it before starting it again.");

    /// <summary>Polls <c>GET /readiness</c> until it answers 200; fails at once if the process exits.</summary>
    /// <exception cref="TimeoutException">Not ready within <see cref="ReadyTimeout"/>.</exception>
    public async Task WaitUntilReadyAsync()
    {
        var lastAnswer = "no answer yet";
        await Poll.UntilAsync($"{Kind} at {BaseAddress} to answer 200 on /readiness", ReadyTimeout, async () =>
        {
            if (HasExited)
            {
                throw new InvalidOperationException($"The {Kind} exited with code {ExitCode} before it was ready.{Environment.NewLine}{Describe()}");
            }

            try
            {
                using var probe = new CancellationTokenSource(ProbeTimeout);
                using var response = await Http.GetAsync("/readiness", probe.Token);
                lastAnswer = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(probe.Token)}";
                return response.StatusCode == HttpStatusCode.OK;
            }
            catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException)
            {
                lastAnswer = $"{exception.GetType().Name}: {exception.Message}";
                return false;
            }
        }, () => $"Last answer: {lastAnswer}{Environment.NewLine}{Describe()}");
    }

    /// <summary>Waits for the process to exit by itself.</summary>
    /// <returns>Whether it exited within <paramref name="timeout"/>.</returns>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            // Also waits until both redirected streams are read to their end.
            await _process.WaitForExitAsync(deadline.Token);
            Running.TryRemove(_process.Id, out _);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Graceful stop: SIGTERM, wait up to <see cref="StopTimeout"/>, then SIGKILL.</summary>
    /// <returns>The exit code (137 or similar when it had to be killed).</returns>
    public async Task<int> StopAsync()
    {
        if (!HasExited)
        {
            if (OperatingSystem.IsWindows())
            {
                _process.Kill(entireProcessTree: true);
            }
            else if (SendSignal(_process.Id, SigTerm) != 0)
            {
                Append($"(tests: kill -TERM {_process.Id} failed with errno {Marshal.GetLastPInvokeError()})", standardError: true);
            }

            if (!await WaitForExitAsync(StopTimeout))
            {
                Append($"(tests: no exit {StopTimeout.TotalSeconds:0} s after SIGTERM; sending SIGKILL)", standardError: true);
                await KillAsync();
            }
        }

        await WaitForExitAsync(StopTimeout);
        return ExitCode;
    }

    /// <summary>Crash: SIGKILL, no chance to clean up.</summary>
    public async Task<int> KillAsync()
    {
        if (!HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await WaitForExitAsync(StopTimeout);
        return ExitCode;
    }

    /// <summary>The process, its state and the tail of its output, for failure messages.</summary>
    public string Describe(int lines = TailLines)
    {
        string[] tail;
        lock (_gate)
        {
            tail = [.. _output.TakeLast(lines)];
        }

        var state = HasExited ? $"exited with code {ExitCode}" : "running";
        return $"--- {Kind} pid {_process.Id} on {BaseAddress} ({state}), last {tail.Length} output lines ---{Environment.NewLine}"
            + string.Join(Environment.NewLine, tail);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            Running.TryRemove(_process.Id, out _);
            Http.Dispose();
            _process.Dispose();
        }
    }

    // The muxer that runs the tests (set by dotnet test), else the one on PATH.
    private static string DotnetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    private void Append(string? line, bool standardError)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _output.Add(standardError ? $"[stderr] {line}" : line);
            if (standardError)
            {
                _standardError.Add(line);
            }
        }
    }

    // kill(2); Process.Kill only sends SIGKILL, which allows no graceful shutdown.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}
