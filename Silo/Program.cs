using BotStateCluster.ServiceDefaults;
using BotStateCluster.Silo;
using BotStateCluster.Silo.Import;
using BotStateCluster.Silo.Storage;

return await ServiceRunner.RunAsync(async () =>
{
    if (args is [SiloCommands.Import, var file])
    {
        // A client of the running cluster, not a silo.
        return await ImportCommand.RunAsync(file);
    }

    var app = SiloHost.Build(args.Where(arg => arg is not SiloCommands.Migrate).ToArray());
    var migrator = app.Services.GetRequiredService<SchemaMigrator>();
    // The provider reads its query texts when the silo starts, so the schema must be current before that.
    await migrator.MigrateAsync(app.Lifetime.ApplicationStopping);
    if (args.Contains(SiloCommands.Migrate))
    {
        return 0;
    }

    await app.RunAsync();
    return 0;
});
