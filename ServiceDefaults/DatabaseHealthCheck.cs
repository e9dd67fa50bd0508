using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace BotStateCluster.ServiceDefaults;

/// <summary>Readiness: the database answers a trivial query within <c>READINESS_TIMEOUT</c>.</summary>
internal sealed class DatabaseHealthCheck(IOptions<DatabaseOptions> database, IOptions<ObservabilityOptions> observability) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var timeout = observability.Value.ReadinessTimeout;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            var target = database.Value.Target;
            if (target.SqliteFile is { } file && !File.Exists(file))
            {
                return HealthCheckResult.Unhealthy($"The SQLite file {file} does not exist yet (the silo creates it).");
            }

            await using var connection = await target.OpenAsync(deadline.Token);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1";
            await command.ExecuteScalarAsync(deadline.Token);
            return HealthCheckResult.Healthy();
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"The database did not answer within {timeout.TotalSeconds:0.###} s.");
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"The database is unreachable: {exception.GetType().Name}: {exception.Message}");
        }
    }
}
