using BotStateCluster.IntegrationTests.Support;
using BotStateCluster.ServiceDefaults;
using BotStateCluster.Silo.Storage;
using Npgsql;

namespace BotStateCluster.IntegrationTests.Storage;

/// <summary>
/// The PostgreSQL write query keeps each user's snapshots to the last history_limit versions when the limit changes
/// between writes (HISTORY_LIMIT changed and silos restarted): run directly, with the limit each write carries.
/// </summary>
public sealed class PostgreSqlHistoryWindowTests : IAsyncLifetime
{
    private const string ServiceId = "history-window";
    private const string User = "u1";

    private Backend _backend = null!;
    private NpgsqlDataSource _database = null!;
    private int? _version;

    public async Task InitializeAsync()
    {
        _backend = await Backend.PostgreSqlAsync();
        await StateCluster.Migrate(_backend.Target);
        _database = NpgsqlDataSource.Create(_backend.Target.ConnectionString);
    }

    [Fact]
    public async Task SnapshotsFollowTheLimitOfEachWrite()
    {
        for (var i = 0; i < 6; i++)
        {
            await WriteAsync(historyLimit: 5);
        }

        Assert.Equal([2, 3, 4, 5, 6], await SnapshotVersionsAsync());

        await WriteAsync(historyLimit: 2);
        Assert.Equal([6, 7], await SnapshotVersionsAsync());

        // A higher limit keeps more from now on; what was trimmed stays trimmed.
        await WriteAsync(historyLimit: 4);
        await WriteAsync(historyLimit: 4);
        Assert.Equal([6, 7, 8, 9], await SnapshotVersionsAsync());
        await WriteAsync(historyLimit: 4);
        Assert.Equal([7, 8, 9, 10], await SnapshotVersionsAsync());

        await WriteAsync(historyLimit: 0);
        Assert.Empty(await SnapshotVersionsAsync());
        Assert.Equal(11, _version);
    }

    private async Task WriteAsync(int historyLimit)
    {
        await using var command = _database.CreateCommand(SqlScripts.ProviderQuery(DatabaseKind.PostgreSql, "WriteToStorageKey"));
        var payload = $$$"""{"state":{"thread_id":"{{{User}}}","n":{{{_version ?? 0}}}},"meta":{"saved_at":"2024-05-01T12:30:00+00:00","history_limit":{{{historyLimit}}},"recent_turns":[]}}""";
        command.Parameters.Add(new NpgsqlParameter("ServiceId", ServiceId));
        command.Parameters.Add(new NpgsqlParameter("GrainIdExtensionString", new ConversationKey(TenantId.Default, UserId.Parse(User)).GrainKey));
        command.Parameters.Add(new NpgsqlParameter("GrainStateVersion", (object?)_version ?? DBNull.Value) { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Integer });
        command.Parameters.Add(new NpgsqlParameter("PayloadBinary", System.Text.Encoding.UTF8.GetBytes(payload)));
        _version = (int?)await command.ExecuteScalarAsync() ?? throw new InvalidOperationException("The write reported a version conflict.");
    }

    private async Task<List<int>> SnapshotVersionsAsync()
    {
        await using var command = _database.CreateCommand("SELECT version FROM state_history WHERE service_id = $1 AND user_id = $2 ORDER BY version");
        command.Parameters.Add(new NpgsqlParameter { Value = ServiceId });
        command.Parameters.Add(new NpgsqlParameter { Value = User });
        var versions = new List<int>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            versions.Add(reader.GetInt32(0));
        }

        return versions;
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        await _backend.DisposeAsync();
    }
}
