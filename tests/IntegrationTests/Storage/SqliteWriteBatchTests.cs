using BotStateCluster.Silo.Storage;
using Microsoft.Data.Sqlite;
using Orleans.Storage;

namespace BotStateCluster.IntegrationTests.Storage;

/// <summary>
/// The SQLite writer commits the writes that queued up behind a running one together, on a real file. The storage
/// below it is scripted: each write inserts a row through the provider's data source, as the stock provider does,
/// and may then fail.
/// </summary>
public sealed class SqliteWriteBatchTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly string _directory = Directory.CreateTempSubdirectory("botstate-batch-").FullName;
    private readonly string _connectionString;
    private readonly SqliteDataSource _source;
    private readonly SerializedWritesGrainStorage _writer;

    public SqliteWriteBatchTests()
    {
        _connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(_directory, "batch.db") }.ToString();
        using (var setup = new SqliteConnection(_connectionString))
        {
            setup.Open();
            using var command = setup.CreateCommand();
            command.CommandText = "PRAGMA journal_mode=WAL; CREATE TABLE rows (name TEXT PRIMARY KEY);";
            command.ExecuteNonQuery();
        }

        _source = new SqliteDataSource(_connectionString);
        _writer = new SerializedWritesGrainStorage(new ScriptedStorage(), _connectionString);
    }

    [Fact]
    public async Task WritesQueuedBehindARunningOneShareOneCommitAndCompleteOnlyOnceItIsDone()
    {
        using var gate = new ManualResetEventSlim();
        var first = BlockTheWriter(gate, then: () => Insert("first"));

        var seenOutsideBeforeCommit = -1L;
        var queued = new List<Task>
        {
            Write(new ScriptedWrite(_ => Insert("a"))),
            Write(new ScriptedWrite(_ =>
            {
                Insert("b");
                seenOutsideBeforeCommit = CountOutside("a");
            })),
            Write(new ScriptedWrite(_ => Insert("c"))),
        };
        gate.Set();
        await Task.WhenAll(queued.Append(first)).WaitAsync(Patience);

        Assert.Equal(0, seenOutsideBeforeCommit);
        Assert.Equal(4, CountOutside("first", "a", "b", "c"));
    }

    [Fact]
    public async Task AWriteThatFailsFailsAloneAndStartsAgainFromItsOwnGrainState()
    {
        using var gate = new ManualResetEventSlim();
        var first = BlockTheWriter(gate, then: () => { });

        var etagsSeen = new List<string?>();
        var good = new GrainState<ScriptedWrite>(new ScriptedWrite(state =>
        {
            etagsSeen.Add(state.ETag);
            Insert("good");
            state.ETag = "2";
        }), "1");
        var goodWrite = _writer.WriteStateAsync("state", GrainId.Create("test", "good"), good);
        var failing = Write(new ScriptedWrite(_ => throw new InvalidOperationException("the database rejected this one")));
        var conflicting = Write(new ScriptedWrite(_ => throw new InconsistentStateException("stale version")));
        gate.Set();

        await goodWrite.WaitAsync(Patience);
        await Assert.ThrowsAsync<InvalidOperationException>(() => failing.WaitAsync(Patience));
        await Assert.ThrowsAsync<InconsistentStateException>(() => conflicting.WaitAsync(Patience));
        await first.WaitAsync(Patience);

        // Run in the rolled-back transaction, then alone: both times from the version the grain held, and stored once.
        Assert.Equal(["1", "1"], etagsSeen);
        Assert.Equal("2", good.ETag);
        Assert.Equal(1, CountOutside("good"));
    }

    [Fact]
    public async Task ManyConcurrentWritersAreAllCommittedByTheTimeTheirWritesComplete()
    {
        var writers = Enumerable.Range(0, 16).Select(writer => Task.Run(async () =>
        {
            for (var i = 0; i < 25; i++)
            {
                var name = $"w{writer}-{i}";
                await Write(new ScriptedWrite(_ => Insert(name))).WaitAsync(Patience);
                Assert.Equal(1, CountOutside(name));
            }
        }));
        await Task.WhenAll(writers);

        Assert.Equal(400, CountOutside(Enumerable.Range(0, 16).SelectMany(w => Enumerable.Range(0, 25).Select(i => $"w{w}-{i}")).ToArray()));
    }

    public void Dispose()
    {
        _writer.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    // A first write that holds the writer thread until the gate opens, so that the writes queued meanwhile wait together.
    private Task BlockTheWriter(ManualResetEventSlim gate, Action then)
    {
        using var started = new ManualResetEventSlim();
        var blocked = Write(new ScriptedWrite(_ =>
        {
            started.Set();
            gate.Wait(Patience);
            then();
        }));
        Assert.True(started.Wait(Patience), "the first write never started");
        return blocked;
    }

    private Task Write(ScriptedWrite write) =>
        _writer.WriteStateAsync("state", GrainId.Create("test", Guid.NewGuid().ToString("N")), new GrainState<ScriptedWrite>(write));

    // As the stock provider does: a connection from the data source per command, disposed after it.
    private void Insert(string name)
    {
        using var connection = _source.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO rows (name) VALUES ($name)";
        command.Parameters.Add(new SqliteParameter("$name", name));
        command.ExecuteNonQuery();
    }

    // What another connection (a reader, another process) sees: committed rows only.
    private long CountOutside(params string[] names)
    {
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM rows WHERE name IN ({string.Join(", ", names.Select((_, i) => $"$n{i}"))})";
        for (var i = 0; i < names.Length; i++)
        {
            command.Parameters.Add(new SqliteParameter($"$n{i}", names[i]));
        }

        return (long)command.ExecuteScalar()!;
    }

    public sealed record ScriptedWrite(Action<IGrainState<ScriptedWrite>> Run);

    private sealed class ScriptedStorage : IGrainStorage
    {
        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Task.CompletedTask;

        public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            var state = (IGrainState<ScriptedWrite>)grainState;
            state.State!.Run(state);
            return Task.CompletedTask;
        }

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Task.CompletedTask;
    }
}
