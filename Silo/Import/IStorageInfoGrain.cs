using BotStateCluster.ServiceDefaults;
using Orleans.Concurrency;

namespace BotStateCluster.Silo.Import;

/// <summary>
/// Where the running cluster stores states, as a silo sees it. The importer is a client of the
/// cluster, so what it writes lands in the silos' database, not the one its own <c>DB_URL</c>
/// names; asking lets it say where the data goes and refuse a mix-up it can see.
/// </summary>
[Alias("BotState.IStorageInfoGrain")]
public interface IStorageInfoGrain : IGrainWithIntegerKey
{
    [Alias("Describe")]
    Task<StorageInfo> DescribeAsync();
}

/// <summary>A database as a process resolved it: its description without password, and the SQLite file's absolute path.</summary>
[GenerateSerializer, Immutable, Alias("BotState.StorageInfo")]
public sealed record StorageInfo([property: Id(0)] string Description, [property: Id(1)] string? SqliteFile)
{
    /// <summary>
    /// <paramref name="database"/> resolved in this process: a relative SQLite path means a file under
    /// the working directory, which differs between processes started in different directories.
    /// </summary>
    public static StorageInfo Of(DatabaseTarget database) =>
        new(database.Description, database.SqliteFile is { } file ? Path.GetFullPath(file) : null);

    /// <summary>
    /// Why an import that expects <paramref name="expected"/> must not write into this database, or null
    /// when it may. Only an embedded (SQLite) expectation can be told apart: PostgreSQL hosts have many
    /// names, and a client with a PostgreSQL <c>DB_URL</c> found the silos through that very database.
    /// </summary>
    public string? MismatchWith(StorageInfo expected) =>
        expected.SqliteFile is null || expected.SqliteFile == SqliteFile
            ? null
            : $"the running silo writes to {Description}, but DB_URL here means {expected.Description}. Run the import from the directory the service was started from (the repository root for ./run.sh), or give both the same absolute DB_URL (sqlite:////path/to/botstate.db). Nothing was imported.";
}

/// <summary>Answers on whichever silo the call reaches: every silo of a cluster shares one database.</summary>
[StatelessWorker]
internal sealed class StorageInfoGrain(DatabaseTarget database) : Grain, IStorageInfoGrain
{
    public Task<StorageInfo> DescribeAsync() => Task.FromResult(StorageInfo.Of(database));
}
