using System.Data;
using BotStateCluster.ServiceDefaults;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace BotStateCluster.Silo.Storage;

/// <summary>The retention sweep's statements: each one batch, each a bounded range of a 0003 index.</summary>
internal sealed class RetentionStore(DatabaseTarget target, IOptions<ClusterOptions> cluster)
{
    private readonly string _tenants = SqlScripts.Script(target.Kind, "Retention/Tenants");
    private readonly string _idleStates = SqlScripts.Script(target.Kind, "Retention/IdleStates");
    private readonly string _trimSnapshots = SqlScripts.Script(target.Kind, "Retention/TrimSnapshots");
    private readonly string _purgeTombstones = SqlScripts.Script(target.Kind, "Retention/PurgeTombstones");
    private readonly string _purgeChanges = SqlScripts.Script(target.Kind, "Retention/PurgeChanges");
    private readonly string _purgeWebhookFailures = SqlScripts.Script(target.Kind, "Retention/PurgeWebhookFailures");

    /// <summary>A live conversation found idle, and where the next batch starts.</summary>
    public sealed record IdleState(string UserId, DateTimeOffset UpdatedAt);

    /// <summary>The tenants that have live conversations.</summary>
    public async Task<IReadOnlyList<TenantId>> TenantsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await target.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = _tenants;
        command.With("ServiceId", cluster.Value.ServiceId, DbType.String);
        var tenants = new List<TenantId>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            tenants.Add(TenantId.Parse(reader.GetString(0)));
        }

        return tenants;
    }

    /// <summary>
    /// Up to <paramref name="batch"/> conversations of <paramref name="tenant"/> last written before <paramref name="cutoff"/>,
    /// oldest first, after <paramref name="after"/>.
    /// </summary>
    public async Task<IReadOnlyList<IdleState>> IdleStatesAsync(TenantId tenant, DateTimeOffset cutoff, IdleState? after, int batch, CancellationToken cancellationToken)
    {
        await using var connection = await target.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = _idleStates;
        command.With("ServiceId", cluster.Value.ServiceId, DbType.String).With("Tenant", tenant.Value, DbType.String).With("Batch", batch, DbType.Int32)
            .WithDate(target.Kind, "Cutoff", cutoff)
            // Before every stored date and user id: the first batch starts at the oldest row.
            .WithDate(target.Kind, "AfterAt", after?.UpdatedAt ?? DateTimeOffset.MinValue)
            .With("AfterId", after?.UserId ?? "", DbType.String);
        var rows = new List<IdleState>(batch);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new IdleState(reader.GetString(0), StoredDate.Read(reader.GetValue(1), "states.updated_at")));
        }

        return rows;
    }

    /// <summary>Deletes up to <paramref name="batch"/> snapshots saved before <paramref name="cutoff"/>; returns how many.</summary>
    public Task<int> TrimSnapshotsAsync(DateTimeOffset cutoff, int batch, CancellationToken cancellationToken) =>
        DeleteAsync(_trimSnapshots, cutoff, batch, cancellationToken);

    /// <summary>Deletes up to <paramref name="batch"/> tombstones written before <paramref name="cutoff"/>; returns how many.</summary>
    public Task<int> PurgeTombstonesAsync(DateTimeOffset cutoff, int batch, CancellationToken cancellationToken) =>
        DeleteAsync(_purgeTombstones, cutoff, batch, cancellationToken);

    /// <summary>Deletes up to <paramref name="batch"/> events of the change feed stored before <paramref name="cutoff"/>; returns how many.</summary>
    public Task<int> PurgeChangesAsync(DateTimeOffset cutoff, int batch, CancellationToken cancellationToken) =>
        DeleteAsync(_purgeChanges, cutoff, batch, cancellationToken);

    /// <summary>Deletes up to <paramref name="batch"/> failed webhook deliveries that last failed before <paramref name="cutoff"/>.</summary>
    public Task<int> PurgeWebhookFailuresAsync(DateTimeOffset cutoff, int batch, CancellationToken cancellationToken) =>
        DeleteAsync(_purgeWebhookFailures, cutoff, batch, cancellationToken);

    private async Task<int> DeleteAsync(string sql, DateTimeOffset cutoff, int batch, CancellationToken cancellationToken)
    {
        await using var connection = await target.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.With("ServiceId", cluster.Value.ServiceId, DbType.String).With("Batch", batch, DbType.Int32)
            .WithDate(target.Kind, "Cutoff", cutoff);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
