using BotStateCluster.Gateway;
using BotStateCluster.ServiceDefaults;

return await ServiceRunner.RunAsync(async () =>
{
    await GatewayHost.Build(args).RunAsync();
    return 0;
});
