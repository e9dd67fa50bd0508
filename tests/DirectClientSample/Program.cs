// Another .NET service talking to BotStateCluster without HTTP: reference BotStateCluster.Client,
// which reads the same environment variables as the silos (DB_URL, CLUSTERING, ORLEANS_SERVICE_ID,
// ORLEANS_CLUSTER_ID, GATEWAY_PORT), connect, call. No ASP.NET Core.
//
//   dotnet run --project tests/DirectClientSample
//
// applies one turn ("hi") to the conversation of user-1 and prints {"version": N, "state": {…}}.
// The lines between the readme markers are the snippet of clients/dotnet/README.md and docs/clients.md,
// word for word (DirectClientSampleTests checks it), so the snippet is code that compiles and runs.
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using BotStateCluster;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// <readme>
var builder = Host.CreateApplicationBuilder(args);
builder.AddBotStateClient(); // reads DB_URL, CLUSTERING, ORLEANS_SERVICE_ID, ORLEANS_CLUSTER_ID, GATEWAY_PORT
using var host = builder.Build();
await host.StartAsync(); // connects to the cluster; resolve the grain factory only after this
var grains = host.Services.GetRequiredService<IGrainFactory>();

// The idempotency key makes a retry of this turn (after a timeout) safe.
var result = await grains.GetStateGrain("user-1").ProcessMessageAsync(
    new IncomingMessage("hi", new JsonObject { ["via"] = "direct-client" }),
    VersionCondition.None,
    idempotencyKey: Guid.NewGuid().ToString());
// </readme>

var current = result.Current ?? throw new InvalidOperationException($"The turn was not applied: {result.Status}.");
var output = new JsonObject { ["version"] = current.Version, ["state"] = StateJson.ToJson(current.State) };
Console.WriteLine(output.ToJsonString(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
await host.StopAsync();
