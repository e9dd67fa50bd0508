using System.Diagnostics;
using System.Runtime.InteropServices;

namespace BotStateCluster.EndToEndTests;

/// <summary>
/// A PostgreSQL server of the test's own (<c>scripts/postgres.sh</c> in a temporary directory), which the test
/// may stop, freeze and restart; never the shared one. Removed on dispose.
/// </summary>
public sealed class OwnPostgres : IAsyncDisposable
{
    private const int SigStop = 19;
    private const int SigCont = 18;
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromSeconds(120);

    private readonly string _directory;
    private bool _frozen;

    private OwnPostgres(string directory, string url)
    {
        _directory = directory;
        Url = url;
    }

    /// <summary>The service's database URL on this server (<c>postgresql://botstate:…/botstate_test</c>).</summary>
    public string Url { get; }

    /// <summary>Starts a fresh server; fails the test when none can be started.</summary>
    public static async Task<OwnPostgres> StartAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"botstate-own-pg-{Guid.NewGuid():N}");
        string exports;
        try
        {
            exports = await ScriptAsync("start", directory);
        }
        catch
        {
            // A server that did not start leaves its data behind.
            await ScriptAsync("stop", directory);
            throw;
        }

        var url = exports.Split('\n').Select(line => line.Trim())
            .Where(line => line.StartsWith("export PG_TEST_URL=", StringComparison.Ordinal))
            .Select(line => line["export PG_TEST_URL=".Length..]).Single();
        return new OwnPostgres(directory, url);
    }

    /// <summary>Fast shutdown: connections are closed, new ones refused.</summary>
    public Task HaltAsync() => ScriptAsync("halt", _directory);

    /// <summary>Starts the halted server again on its port, waiting until it accepts connections.</summary>
    public Task ResumeAsync() => ScriptAsync("resume", _directory);

    /// <summary>SIGSTOP to the postmaster and every backend: connections stay open, nothing answers.</summary>
    public async Task FreezeAsync()
    {
        var postmaster = int.Parse((await ScriptAsync("pid", _directory)).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        _frozen = true;
        Signal(postmaster, SigStop);
        foreach (var child in await ChildrenAsync(postmaster))
        {
            Signal(child, SigStop);
        }
    }

    /// <summary>SIGCONT to the postmaster and its backends.</summary>
    public async Task ThawAsync()
    {
        var postmaster = int.Parse((await ScriptAsync("pid", _directory)).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        foreach (var child in await ChildrenAsync(postmaster))
        {
            Signal(child, SigCont);
        }

        Signal(postmaster, SigCont);
        _frozen = false;
    }

    public async ValueTask DisposeAsync()
    {
        if (_frozen)
        {
            await ThawAsync();
        }

        await ScriptAsync("stop", _directory);
    }

    private static async Task<int[]> ChildrenAsync(int parent) =>
        [.. (await RunAsync("pgrep", ["-P", parent.ToString(System.Globalization.CultureInfo.InvariantCulture)], allowFailure: true))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(pid => int.Parse(pid, System.Globalization.CultureInfo.InvariantCulture))];

    private static Task<string> ScriptAsync(string command, string directory) =>
        RunAsync("bash", [Path.Combine(BuildOutput.RepositoryRoot, "scripts", "postgres.sh"), command, directory], allowFailure: false);

    private static async Task<string> RunAsync(string program, string[] arguments, bool allowFailure)
    {
        var start = new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(ScriptTimeout);
        await process.WaitForExitAsync(deadline.Token);
        if (process.ExitCode != 0 && !allowFailure)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await error}");
        }

        return await output;
    }

    private static void Signal(int pid, int signal)
    {
        if (SendSignal(pid, signal) != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {pid} failed with errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}
