using BotStateCluster.Gateway;
using BotStateCluster.ServiceDefaults;

SocketCompletions.RunInlineUnlessConfigured();

return await ServiceRunner.RunAsync(async () =>
{
    await GatewayHost.Build(args).RunAsync();
    return 0;
});
