using BotStateCluster.ServiceDefaults;
using Orleans.Storage;

namespace BotStateCluster.Silo.Storage;

/// <summary>
/// Every database operation of a silo goes through here: it gets a deadline, so a frozen database becomes
/// a 503 within the contract's 2 s rather than after the driver's timeouts, and a driver failure becomes a
/// <see cref="StorageUnavailableException"/>, which can cross to the gateway, logged once per distinct
/// failure and interval rather than once per request.
/// </summary>
internal sealed partial class StorageGuard(FailureLogThrottle throttle, TimeProvider clock, ILogger<StorageGuard> logger)
{
    /// <summary>
    /// Longest wait for one storage operation. A healthy write takes milliseconds (the benchmark's p99 is tens); the
    /// other half of the 2 s the contract gives a 503 is for the rest of the way on a loaded machine: through a gateway
    /// to one silo and on to another, the answer back, and the first outage's cold code paths. With three silos, a
    /// gateway and a frozen PostgreSQL on two busy cores, that rest took up to 0.25 s, which 1.5 s left too little room.
    /// </summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(1);

    /// <summary>
    /// After an operation ran into the deadline, how long further operations fail at once instead of waiting too.
    /// Calls queued behind a timed-out one in its grain (turns of one user run one at a time) would otherwise each
    /// wait a deadline of their own after the one they waited for, and answer their 503 past 2 s.
    /// </summary>
    public static readonly TimeSpan CoolDown = TimeSpan.FromSeconds(0.5);

    private long _coolUntilTicks;

    public async Task RunAsync(string operation, Func<Task> action) =>
        await RunAsync(operation, async () =>
        {
            await action();
            return true;
        });

    public async Task<T> RunAsync<T>(string operation, Func<Task<T>> action)
    {
        if (clock.GetUtcNow().UtcTicks < Interlocked.Read(ref _coolUntilTicks))
        {
            throw Unavailable(operation, new StorageUnavailableException(
                StorageFailureKind.Timeout, "the database did not answer a moment ago; not tried again yet", 2));
        }

        // On the thread pool: Microsoft.Data.Sqlite works synchronously (a locked file blocks the caller for its whole busy
        // timeout), and a deadline can only be kept on a call that returns.
        var task = Task.Run(action);
        try
        {
            return await task.WaitAsync(Deadline);
        }
        catch (TimeoutException) when (!task.IsCompleted)
        {
            // The operation goes on without a waiter (it may even commit: nothing was acknowledged, and the
            // version check stops a stale writer); its outcome must not surface as an unobserved exception.
            _ = task.ContinueWith(static abandoned => _ = abandoned.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            Interlocked.Exchange(ref _coolUntilTicks, (clock.GetUtcNow() + CoolDown).UtcTicks);
            throw Unavailable(operation, new StorageUnavailableException(
                StorageFailureKind.Timeout, $"the database did not answer within {Deadline.TotalSeconds:0.#} s", 2));
        }
        catch (Exception exception) when (exception is not StorageUnavailableException && DatabaseFailure.Translate(exception) is { } unavailable)
        {
            throw Unavailable(operation, unavailable);
        }
        catch (Exception exception) when (exception is not (StorageUnavailableException or InconsistentStateException or OperationCanceledException)
            && throttle.ShouldLog($"{operation}:{exception.GetType().FullName}", out var suppressed))
        {
            // Not an outage: a bug or data the database rejects. The provider's own error lines are silenced (they
            // would repeat every outage per request), so this is where it is logged, with its stack trace.
            LogFailed(exception, operation, suppressed);
            throw;
        }
    }

    private StorageUnavailableException Unavailable(string operation, StorageUnavailableException unavailable)
    {
        if (throttle.ShouldLog($"{operation}:{unavailable.Kind}:{unavailable.Message}", out var suppressed))
        {
            LogUnavailable(operation, unavailable.Kind, unavailable.Message, suppressed);
        }

        return unavailable;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Storage {Operation} failed unexpectedly ({Suppressed} more since the last such line)")]
    private partial void LogFailed(Exception exception, string operation, int suppressed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage {Operation} failed: {Reason} ({Kind}; answered 503; {Suppressed} more since the last such line)")]
    private partial void LogUnavailable(string operation, StorageFailureKind kind, string reason, int suppressed);
}
