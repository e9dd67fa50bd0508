using System.Diagnostics;
using BotStateCluster.Grains;
using BotStateCluster.Silo.Storage;
using Microsoft.Extensions.Options;

namespace BotStateCluster.Silo.Retention;

/// <summary>What one sweep erased.</summary>
internal sealed record SweepResult(long States, long Snapshots, long Tombstones, long Events, long Failed, TimeSpan Duration);

/// <summary>
/// One pass of retention, in bounded batches: idle conversations expire through their grains (so a live
/// activation drops its state and a racing turn is never half kept), then old snapshots, old tombstones and old
/// change feed events (with the failed webhook deliveries of their time) are deleted in SQL.
/// </summary>
internal sealed partial class RetentionSweep(
    IGrainFactory grains,
    RetentionStore store,
    SweepLock sweepLock,
    IOptions<RetentionOptions> options,
    TimeProvider clock,
    ILogger<RetentionSweep> logger)
{
    /// <summary>Rows per batch: one short statement, or this many grain calls.</summary>
    public const int BatchSize = 500;

    // Grain calls in flight at once: enough to make progress, few enough that turns never queue behind them.
    private const int Parallelism = 8;

    /// <summary>Runs a sweep unless another silo runs one; null when it did not run.</summary>
    public async Task<SweepResult?> RunAsync(CancellationToken cancellationToken)
    {
        await using var held = await sweepLock.TryAcquireAsync(cancellationToken);
        if (held is null)
        {
            LogSkipped();
            return null;
        }

        var started = Stopwatch.GetTimestamp();
        var now = clock.GetUtcNow();
        var settings = options.Value;
        var (states, failed) = settings.StateTimeToLive is { } stateTtl
            ? await ExpireStatesAsync(held, now - stateTtl, cancellationToken)
            : (0, 0);
        var snapshots = settings.HistoryTimeToLive is { } historyTtl
            ? await DeleteInBatchesAsync(held, cutoff => store.TrimSnapshotsAsync(cutoff, BatchSize, cancellationToken), now - historyTtl, cancellationToken)
            : 0;
        var tombstones = await DeleteInBatchesAsync(held, cutoff => store.PurgeTombstonesAsync(cutoff, BatchSize, cancellationToken), now - settings.TombstoneTimeToLive, cancellationToken);
        var events = await DeleteInBatchesAsync(held, cutoff => store.PurgeChangesAsync(cutoff, BatchSize, cancellationToken), now - settings.ChangesTimeToLive, cancellationToken);
        await DeleteInBatchesAsync(held, cutoff => store.PurgeWebhookFailuresAsync(cutoff, BatchSize, cancellationToken), now - settings.ChangesTimeToLive, cancellationToken);

        // The grains count the conversations they expire themselves (also on access, between sweeps).
        StateGrainMetrics.CountErased(StateGrainMetrics.ErasedSnapshot, snapshots);
        StateGrainMetrics.CountErased(StateGrainMetrics.ErasedTombstone, tombstones);
        StateGrainMetrics.CountErased(StateGrainMetrics.ErasedEvent, events);
        var result = new SweepResult(states, snapshots, tombstones, events, failed, Stopwatch.GetElapsedTime(started));
        StateGrainMetrics.RecordSweep(result.Duration);
        LogSwept(result.States, result.Snapshots, result.Tombstones, result.Events, result.Failed, result.Duration.TotalSeconds);
        return result;
    }

    private async Task<(long Erased, long Failed)> ExpireStatesAsync(SweepLock.Held held, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        long erased = 0, failed = 0;
        await held.EnsureHeldAsync(cancellationToken);
        foreach (var tenant in await store.TenantsAsync(cancellationToken))
        {
            var (tenantErased, tenantFailed) = await ExpireStatesAsync(held, tenant, cutoff, cancellationToken);
            erased += tenantErased;
            failed += tenantFailed;
        }

        return (erased, failed);
    }

    private async Task<(long Erased, long Failed)> ExpireStatesAsync(SweepLock.Held held, TenantId tenant, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        long erased = 0, failed = 0;
        RetentionStore.IdleState? after = null;
        while (true)
        {
            await held.EnsureHeldAsync(cancellationToken);
            var batch = await store.IdleStatesAsync(tenant, cutoff, after, BatchSize, cancellationToken);
            await Parallel.ForEachAsync(batch, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (idle, token) =>
            {
                try
                {
                    // The grain erases only if nothing was written since the cutoff, whatever this batch saw.
                    if (await grains.GetStateGrain(tenant, UserId.Parse(idle.UserId)).ExpireAsync(cutoff, token))
                    {
                        Interlocked.Increment(ref erased);
                    }
                }
                catch (Exception exception) when (!token.IsCancellationRequested)
                {
                    // Left for the next sweep; the log names no user.
                    Interlocked.Increment(ref failed);
                    LogExpiryFailed(exception.GetType().Name);
                }
            });

            if (batch.Count < BatchSize)
            {
                return (erased, failed);
            }

            // Keyset: rows the grains kept (a turn landed) are not read again in this sweep.
            after = batch[^1];
        }
    }

    private static async Task<long> DeleteInBatchesAsync(SweepLock.Held held, Func<DateTimeOffset, Task<int>> deleteBatch, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        long total = 0;
        int deleted;
        do
        {
            await held.EnsureHeldAsync(cancellationToken);
            deleted = await deleteBatch(cutoff);
            total += deleted;
        }
        while (deleted == BatchSize);
        return total;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention sweep: {States} conversations expired, {Snapshots} snapshots trimmed, {Tombstones} tombstones purged, {Events} change events purged, {Failed} failed, in {Seconds:0.000} s")]
    private partial void LogSwept(long states, long snapshots, long tombstones, long events, long failed, double seconds);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Retention sweep skipped: another silo is sweeping")]
    private partial void LogSkipped();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Expiring an idle conversation failed ({ExceptionType}); the next sweep retries it")]
    private partial void LogExpiryFailed(string exceptionType);
}
