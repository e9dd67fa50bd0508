using BotStateCluster.ServiceDefaults;

namespace BotStateCluster.Silo.Storage;

/// <summary>
/// Every database operation of a silo goes through here: it gets a deadline, so a frozen database becomes
/// a 503 within the contract's 2 s rather than after the driver's timeouts, and a driver failure becomes a
/// <see cref="StorageUnavailableException"/>, which can cross to the gateway, logged once per distinct
/// failure and interval rather than once per request.
/// </summary>
internal sealed partial class StorageGuard(FailureLogThrottle throttle, ILogger<StorageGuard> logger)
{
    /// <summary>
    /// Longest wait for one storage operation. A healthy write takes milliseconds; this leaves room for a loaded
    /// machine and for the gateway's answer, within the 2 s the contract gives a 503.
    /// </summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(1.5);

    public async Task RunAsync(string operation, Func<Task> action) =>
        await RunAsync(operation, async () =>
        {
            await action();
            return true;
        });

    public async Task<T> RunAsync<T>(string operation, Func<Task<T>> action)
    {
        var task = action();
        try
        {
            return await task.WaitAsync(Deadline);
        }
        catch (TimeoutException) when (!task.IsCompleted)
        {
            // The operation goes on without a waiter (it may even commit: nothing was acknowledged, and the
            // version check stops a stale writer); its outcome must not surface as an unobserved exception.
            _ = task.ContinueWith(static abandoned => _ = abandoned.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            throw Unavailable(operation, new StorageUnavailableException(
                StorageFailureKind.Timeout, $"the database did not answer within {Deadline.TotalSeconds:0.#} s", 2));
        }
        catch (Exception exception) when (exception is not StorageUnavailableException && DatabaseFailure.Translate(exception) is { } unavailable)
        {
            throw Unavailable(operation, unavailable);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage {Operation} failed: {Reason} ({Kind}; answered 503; {Suppressed} more since the last such line)")]
    private partial void LogUnavailable(string operation, StorageFailureKind kind, string reason, int suppressed);
}
