using BotStateCluster.Grains;
using BotStateCluster.ServiceDefaults;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Storage;

namespace BotStateCluster.Silo.Storage;

/// <summary>Plugs the <c>states</c> tables into a silo.</summary>
public static class StorageSiloBuilderExtensions
{
    /// <summary>
    /// The stock ADO.NET grain storage with our query texts (registered by <see cref="SchemaMigrator"/>)
    /// and our JSON record format, plus the history reader the grains use.
    /// </summary>
    public static ISiloBuilder AddBotStateStorage(this ISiloBuilder silo, DatabaseTarget target)
    {
        // SQLite gets its writes one at a time (SerializedWritesGrainStorage): the ADO.NET provider is
        // registered under an inner name, and the grains' storage name resolves to the wrapper around it.
        var providerName = target.Kind == DatabaseKind.Sqlite ? $"{StateGrainOptions.StorageName}.sqlite" : StateGrainOptions.StorageName;
        silo.AddAdoNetGrainStorage(providerName, options =>
        {
            options.Invariant = target.Invariant;
            options.ConnectionString = target.ConnectionString;
            options.GrainStorageSerializer = new StateRecordSerializer();
            // Tombstones, not deletes: a deleted row would restart versions and let a stale writer in.
            options.DeleteStateOnClear = false;
        });
        if (target.Kind == DatabaseKind.Sqlite)
        {
            silo.Services.AddKeyedSingleton<IGrainStorage>(StateGrainOptions.StorageName, (services, _) =>
                new SerializedWritesGrainStorage(services.GetRequiredKeyedService<IGrainStorage>(providerName)));
        }

        silo.Services.AddSingleton<IStateHistoryStore, SqlStateHistoryStore>();
        silo.Services.TryAddSingleton(target);
        silo.Services.TryAddSingleton(TimeProvider.System);
        silo.Services.AddSingleton<SchemaMigrator>();
        return silo;
    }
}
