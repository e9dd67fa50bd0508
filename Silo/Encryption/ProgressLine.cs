using System.Diagnostics;
using System.Globalization;

namespace BotStateCluster.Silo.Encryption;

/// <summary>
/// The progress of a long command, printed every second while it runs and once at the end:
/// <c>rotate-keys: 1200/5000 (24%), 600/s, about 6 s left</c>.
/// </summary>
internal sealed class ProgressLine : IAsyncDisposable
{
    /// <summary>How often the line is printed; the contract asks for at least every 2 s.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly string _command;
    private readonly long _total;
    private readonly TextWriter _output;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _printing;
    private long _done;

    public ProgressLine(string command, long total, TextWriter output)
    {
        (_command, _total, _output) = (command, total, output);
        _printing = PrintAsync();
    }

    public long Done => Interlocked.Read(ref _done);

    public TimeSpan Elapsed => _clock.Elapsed;

    public void Add(long count = 1) => Interlocked.Add(ref _done, count);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _printing;
        _stop.Dispose();
        Print();
    }

    private async Task PrintAsync()
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                Print();
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped: the final line follows.
        }
    }

    private void Print()
    {
        var done = Done;
        var seconds = Math.Max(_clock.Elapsed.TotalSeconds, 0.001);
        var rate = done / seconds;
        var left = rate > 0 ? TimeSpan.FromSeconds(Math.Max(_total - done, 0) / rate) : (TimeSpan?)null;
        var percent = _total > 0 ? Math.Min(100, 100.0 * done / _total) : 100;
        _output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{_command}: {done}/{_total} ({percent:0}%), {rate:0}/s, {(left is { } time ? $"about {time.TotalSeconds:0} s left" : "time left unknown")}"));
        _output.Flush();
    }
}
