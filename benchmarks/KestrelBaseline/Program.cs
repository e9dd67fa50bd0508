// The HTTP ceiling of the machine for scripts/benchmark.sh: the same routes as the gateway, answering a
// fixed ~1 KB state without a grain or a database. Anything the service does beyond this costs.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();

var state = File.ReadAllBytes(Environment.GetEnvironmentVariable("BENCH_STATE_FILE")
    ?? throw new InvalidOperationException("BENCH_STATE_FILE must name the ~1 KB state to answer."));

app.MapGet("/v1/states/{userId}", (string userId) => Results.Bytes(state, "application/json"));
app.MapPost("/v1/states/{userId}/messages", (string userId) => Results.Bytes(state, "application/json"));
app.Run();
