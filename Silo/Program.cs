using BotStateCluster.ServiceDefaults;
using BotStateCluster.Silo;
using BotStateCluster.Silo.Dashboard;
using BotStateCluster.Silo.Encryption;
using BotStateCluster.Silo.Import;
using BotStateCluster.Silo.Keys;
using BotStateCluster.Silo.Storage;
using Microsoft.Extensions.Options;

SocketCompletions.RunInlineUnlessConfigured();

return await ServiceRunner.RunAsync(async () =>
{
    if (args is [SiloCommands.Import, .. var importArgs])
    {
        // A client of the running cluster, not a silo.
        return await ImportCommand.RunAsync(importArgs);
    }

    if (args is [SiloCommands.Keys, .. var keysArgs])
    {
        // Needs nothing but a random number generator: no database, no cluster.
        return await KeysCommand.RunAsync(keysArgs, Console.Out, Console.Error);
    }

    if (args is [SiloCommands.RotateKeys, .. var rotateArgs])
    {
        // The key store only: the silos keep serving.
        return await RotateKeysCommand.RunAsync(rotateArgs, Console.Out, Console.Error, CancellationToken.None);
    }

    if (args is [SiloCommands.EncryptExisting, .. var encryptArgs])
    {
        // The data database and the key store, row by row, while the silos serve.
        return await EncryptExistingCommand.RunAsync(encryptArgs, Console.Out, Console.Error, CancellationToken.None);
    }

    await using var app = SiloHost.Build(args.Where(arg => arg is not SiloCommands.Migrate).ToArray());
    // The provider reads its query texts when the silo starts, so the schema must be current before that.
    await app.Services.GetRequiredService<DatabaseStartupWait>().MigrateAsync(app.Lifetime.ApplicationStopping);
    if (app.Services.GetService<KeyStoreStartup>() is { } keyStore)
    {
        // Encryption on: the key store is ready and holds no key the configured master keys cannot unwrap.
        await keyStore.PrepareAsync(app.Lifetime.ApplicationStopping);
    }

    if (args.Contains(SiloCommands.Migrate))
    {
        return 0;
    }

    OrleansPorts.EnsureFree(app.Services.GetRequiredService<IOptions<ClusterSettings>>().Value, app.Services.GetRequiredService<DatabaseTarget>());
    GarbageCollectionNote.LogIfWorkstation(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(GarbageCollectionNote)));
    await app.StartAsync();
    try
    {
        DashboardExposure.EnsureProtected(app.Services);
    }
    catch (ConfigurationError)
    {
        await app.StopAsync();
        throw;
    }

    await app.WaitForShutdownAsync();
    return 0;
});
