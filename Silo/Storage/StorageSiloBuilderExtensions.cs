using BotStateCluster.Grains;
using BotStateCluster.Grains.Encryption;
using BotStateCluster.ServiceDefaults;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Configuration;
using Orleans.Storage;

namespace BotStateCluster.Silo.Storage;

/// <summary>Plugs the <c>states</c> tables into a silo.</summary>
public static class StorageSiloBuilderExtensions
{
    /// <summary>
    /// The stock ADO.NET grain storage with our query texts (registered by <see cref="SchemaMigrator"/>)
    /// and our JSON record format, plus the history reader, conversation index and change feed the grains use.
    /// </summary>
    public static ISiloBuilder AddBotStateStorage(this ISiloBuilder silo, DatabaseTarget target)
    {
        silo.AddAdoNetGrainStorage(StateGrainOptions.StorageName, options =>
        {
            options.Invariant = target.Invariant;
            // On SQLite the writer thread's writes go through its own connection (SerializedWritesGrainStorage); on
            // PostgreSQL the writes waiting at the same moment share a transaction (WriteBatchingDataSource, below).
            if (target.Kind == DatabaseKind.Sqlite)
            {
                options.DataSource = new SqliteDataSource(target.ConnectionString);
            }

            options.GrainStorageSerializer = new StateRecordSerializer();
            // Tombstones, not deletes: a deleted row would restart versions and let a stale writer in.
            options.DeleteStateOnClear = false;
        });
        if (target.Kind == DatabaseKind.PostgreSql)
        {
            silo.Services.AddSingleton(static services => WriteBatchingDataSource.Create(services.GetRequiredService<DatabaseTarget>()));
            silo.Services.AddOptions<AdoNetGrainStorageOptions>(StateGrainOptions.StorageName)
                .Configure<WriteBatchingDataSource>(static (options, dataSource) => options.DataSource = dataSource);
        }

        // The same provider behind a deadline and exceptions a client can receive (replaces the registration
        // above); on SQLite its writes also go one writer at a time, several to a commit, inside the deadline.
        silo.Services.AddKeyedSingleton<IGrainStorage>(StateGrainOptions.StorageName, static (services, name) =>
        {
            var storage = AdoNetGrainStorageFactory.Create(services, (string)name!);
            var target = services.GetRequiredService<DatabaseTarget>();
            return new GuardedGrainStorage(
                target.Kind == DatabaseKind.Sqlite ? new SerializedWritesGrainStorage(storage, target.ConnectionString) : storage,
                services.GetRequiredService<StorageGuard>());
        });
        silo.Services.TryAddSingleton<FailureLogThrottle>();
        silo.Services.AddSingleton<StorageGuard>();
        silo.Services.AddSingleton<IStateHistoryStore, SqlStateHistoryStore>();
        silo.Services.AddSingleton<IConversationIndex, SqlConversationIndex>();
        silo.Services.AddSingleton<IChangeFeed, SqlChangeFeed>();
        // Plaintext unless AddBotStateEncryption registered the data keys.
        silo.Services.TryAddSingleton<IConversationKeys, NoConversationKeys>();
        silo.Services.TryAddSingleton(target);
        silo.Services.TryAddSingleton(TimeProvider.System);
        silo.Services.AddSingleton<SchemaMigrator>();
        silo.Services.AddSingleton<DatabaseStartupWait>();
        return silo;
    }
}
