using BotStateCluster.ServiceDefaults;
using Microsoft.Extensions.Options;

namespace BotStateCluster.Silo.Storage;

/// <summary>
/// Runs the start-up migration, waiting a bounded time for a database that is not up yet (it may start after
/// the silo, as in Kubernetes or compose); a database that refuses the silo (password, missing database) is
/// not waited for. Either way a failure ends start-up with one line naming the database, never a stack trace.
/// </summary>
internal sealed partial class DatabaseStartupWait(
    SchemaMigrator migrator, DatabaseTarget target, IOptions<SiloOptions> options, TimeProvider clock, ILogger<DatabaseStartupWait> logger)
{
    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(5);

    /// <exception cref="StartupError">The database refused the silo, or did not come up within <c>DB_STARTUP_TIMEOUT</c>.</exception>
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        var patience = options.Value.DatabaseStartupTimeout;
        var started = clock.GetUtcNow();
        var pause = FirstPause;
        while (true)
        {
            try
            {
                await migrator.MigrateAsync(cancellationToken);
                return;
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested && DatabaseFailure.Classify(exception) is { } kind)
            {
                var reason = DatabaseFailure.Describe(kind, exception);
                var waited = clock.GetUtcNow() - started;
                if (!DatabaseFailure.IsWorthWaitingFor(exception))
                {
                    throw new StartupError($"cannot use {target.Description}: {reason}.", exception);
                }

                if (waited + pause > patience)
                {
                    throw new StartupError($"gave up on {target.Description} after {waited.TotalSeconds:0} s (DB_STARTUP_TIMEOUT): {reason}.", exception);
                }

                LogWaiting(target.Description, reason, pause.TotalSeconds, patience.TotalSeconds - waited.TotalSeconds);
                await Task.Delay(pause, clock, cancellationToken);
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, LongestPause.Ticks));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Waiting for {Database}: {Reason}; next try in {Pause:0.#} s ({Left:0} s left)")]
    private partial void LogWaiting(string database, string reason, double pause, double left);
}
