using System.Data;
using System.Data.Common;
using BotStateCluster.Grains;
using BotStateCluster.ServiceDefaults;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace BotStateCluster.Silo.Storage;

/// <summary>Reads <c>state_history</c>, which the storage queries fill in the same transaction as each write.</summary>
internal sealed class SqlStateHistoryStore(DatabaseTarget target, IOptions<ClusterOptions> cluster, StorageGuard guard) : IStateHistoryStore
{
    private readonly string _pageQuery = SqlScripts.Script(target.Kind, "HistoryPage");
    private readonly string _versionQuery = SqlScripts.Script(target.Kind, "HistoryVersion");
    private readonly string _oldestQuery = SqlScripts.Script(target.Kind, "HistoryOldest");

    public Task<IReadOnlyList<StoredSnapshot>> ReadAsync(ConversationKey conversation, int limit, int? before, CancellationToken cancellationToken) =>
        QueryAsync(_pageQuery, conversation, cancellationToken, ("Limit", limit), ("Before", before));

    public async Task<StoredSnapshot?> ReadVersionAsync(ConversationKey conversation, int version, CancellationToken cancellationToken) =>
        (await QueryAsync(_versionQuery, conversation, cancellationToken, ("Version", version))).SingleOrDefault();

    public Task<int?> OldestVersionAsync(ConversationKey conversation, CancellationToken cancellationToken) =>
        guard.RunAsync("history read", async () =>
        {
            await using var connection = await target.OpenAsync(cancellationToken);
            await using var command = Command(connection, _oldestQuery, conversation);
            return await command.ExecuteScalarAsync(cancellationToken) is { } value and not DBNull
                ? Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture)
                : (int?)null;
        });

    private Task<IReadOnlyList<StoredSnapshot>> QueryAsync(string sql, ConversationKey conversation, CancellationToken cancellationToken, params (string Name, int? Value)[] numbers) =>
        guard.RunAsync("history read", () => ReadAsync(sql, conversation, cancellationToken, numbers));

    private async Task<IReadOnlyList<StoredSnapshot>> ReadAsync(string sql, ConversationKey conversation, CancellationToken cancellationToken, (string Name, int? Value)[] numbers)
    {
        await using var connection = await target.OpenAsync(cancellationToken);
        await using var command = Command(connection, sql, conversation);
        foreach (var (name, value) in numbers)
        {
            command.With(name, value, DbType.Int32);
        }

        var items = new List<StoredSnapshot>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(new StoredSnapshot(Convert.ToInt32(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture), StoredDate.Read(reader.GetValue(1), "state_history.saved_at"), reader.GetString(2)));
        }

        return items;
    }

    private DbCommand Command(DbConnection connection, string sql, ConversationKey conversation)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.With("ServiceId", cluster.Value.ServiceId, DbType.String)
            .With("Tenant", conversation.Tenant.Value, DbType.String)
            .With("UserId", conversation.User.Value, DbType.String);
        return command;
    }
}
