// Another .NET service talking to BotStateCluster without HTTP: reference Grains.Interfaces (the
// contract) and ServiceDefaults (the cluster settings), read the same environment variables as the
// silos (DB_URL, CLUSTERING, ORLEANS_SERVICE_ID, ORLEANS_CLUSTER_ID, GATEWAY_PORT), connect, call.
//
//   dotnet run --project tests/DirectClientSample -- <userId> <text>
//
// prints {"version": N, "state": {…}} for the state after the turn.
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using BotStateCluster;
using BotStateCluster.ServiceDefaults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

return await ServiceRunner.RunAsync(async () =>
{
    if (args.Length != 2)
    {
        await Console.Error.WriteLineAsync("usage: DirectClientSample <userId> <text>");
        return 1;
    }

    var builder = Host.CreateApplicationBuilder();
    builder.Logging.SetMinimumLevel(LogLevel.Warning);
    var settings = SharedSettings.Load(builder.Configuration);
    builder.UseOrleansClient(client => client.UseBotStateCluster(settings));

    using var host = builder.Build();
    await host.StartAsync();
    var grains = host.Services.GetRequiredService<IGrainFactory>();

    // The idempotency key makes a retry of this turn (after a timeout) safe.
    var result = await grains.GetStateGrain(args[0]).ProcessMessageAsync(
        new IncomingMessage(args[1], new JsonObject { ["via"] = "direct-client" }),
        VersionCondition.None,
        idempotencyKey: Guid.NewGuid().ToString());

    var current = result.Current ?? throw new InvalidOperationException($"The turn was not applied: {result.Status}.");
    var output = new JsonObject { ["version"] = current.Version, ["state"] = StateJson.ToJson(current.State) };
    Console.WriteLine(output.ToJsonString(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
    await host.StopAsync();
    return 0;
});
