using System.Diagnostics;

namespace BotStateCluster.Tests;

/// <summary>Waits for a signal from the system with a deadline, never for a fixed time.</summary>
public static class Poll
{
    /// <summary>Pause between two looks at the system.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Evaluates <paramref name="condition"/> until it holds or <paramref name="timeout"/> passes; the
    /// failure says what was awaited and adds <paramref name="diagnostics"/> (process output, last answer).
    /// </summary>
    /// <param name="interval">The pause between two looks, <see cref="PollInterval"/> unless the test needs to look more often.</param>
    /// <exception cref="TimeoutException">The condition never held in time.</exception>
    public static async Task UntilAsync(string what, TimeSpan timeout, Func<Task<bool>> condition, Func<string>? diagnostics = null, TimeSpan? interval = null)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed >= timeout)
            {
                throw new TimeoutException($"Waited {timeout.TotalSeconds:0.#} s for {what}, in vain.{Environment.NewLine}{diagnostics?.Invoke()}");
            }

            await Task.Delay(interval ?? PollInterval);
        }
    }
}
