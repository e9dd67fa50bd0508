// Another .NET service talking to BotStateCluster without HTTP: reference BotStateCluster.Client,
// which reads the same environment variables as the silos (DB_URL, CLUSTERING, ORLEANS_SERVICE_ID,
// ORLEANS_CLUSTER_ID, GATEWAY_PORT), connect, call. No ASP.NET Core.
//
//   dotnet run --project tests/DirectClientSample -- <userId> <text>
//
// prints {"version": N, "state": {…}} for the state after the turn.
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using BotStateCluster;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

if (args.Length != 2)
{
    await Console.Error.WriteLineAsync("usage: DirectClientSample <userId> <text>");
    return 1;
}

var builder = Host.CreateApplicationBuilder();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
try
{
    builder.AddBotStateClient();
}
catch (OptionsValidationException error)
{
    await Console.Error.WriteLineAsync($"configuration error: {string.Join(" ", error.Failures)}");
    return 2;
}

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
