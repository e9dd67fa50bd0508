// The baseline of scripts/benchmark.sh: what a .NET team would write instead of the cluster, with the
// driver's defaults. GET is one SELECT; a turn is one transaction that locks the row, applies update()
// (DESIGN.md section 3) and upserts it. No history, no idempotency keys, no cache.
using System.Globalization;
using System.Text.Json.Nodes;
using Npgsql;

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();

await using var db = NpgsqlDataSource.Create(Environment.GetEnvironmentVariable("BENCH_DB")
    ?? throw new InvalidOperationException("BENCH_DB must hold an Npgsql connection string."));

app.MapGet("/v1/states/{userId}", async (string userId) =>
{
    await using var command = db.CreateCommand("SELECT state::text FROM plain_states WHERE user_id = $1");
    command.Parameters.AddWithValue(userId);
    return await command.ExecuteScalarAsync() is string state ? Results.Text(state, "application/json") : Results.NotFound();
});

app.MapPost("/v1/states/{userId}/messages", async (string userId, HttpRequest request) =>
{
    var message = await JsonNode.ParseAsync(request.Body) as JsonObject;
    if (message?["text"]?.GetValue<string>() is not { } text)
    {
        return Results.BadRequest();
    }

    await using var connection = await db.OpenConnectionAsync();
    await using var transaction = await connection.BeginTransactionAsync();
    JsonObject? state;
    await using (var select = new NpgsqlCommand("SELECT state::text FROM plain_states WHERE user_id = $1 FOR UPDATE", connection, transaction))
    {
        select.Parameters.AddWithValue(userId);
        state = await select.ExecuteScalarAsync() is string stored ? JsonNode.Parse(stored) as JsonObject : null;
    }

    var now = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'+00:00'", CultureInfo.InvariantCulture);
    state ??= new JsonObject
    {
        ["thread_id"] = userId, ["user_message"] = null, ["bot_message"] = null, ["nlu"] = new JsonObject(),
        ["context"] = new JsonObject(), ["intent"] = new JsonObject(), ["parameters"] = new JsonArray(),
        ["extracted_parameters"] = new JsonObject(), ["missing_parameters"] = new JsonArray(),
        ["complete"] = false, ["current_node"] = "", ["date"] = now,
    };
    Update(state, userId, text, message["channel"]?.GetValue<string>() ?? "rest", message["context"] as JsonObject, now);

    var json = state.ToJsonString();
    await using (var upsert = new NpgsqlCommand(
        "INSERT INTO plain_states (user_id, state, updated_at) VALUES ($1, $2::jsonb, now()) " +
        "ON CONFLICT (user_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at", connection, transaction))
    {
        upsert.Parameters.AddWithValue(userId);
        upsert.Parameters.AddWithValue(json);
        await upsert.ExecuteNonQueryAsync();
    }

    await transaction.CommitAsync();
    return Results.Text(json, "application/json");
});

app.Run();

// update(user_message) of the Python State class.
static void Update(JsonObject state, string userId, string text, string channel, JsonObject? messageContext, string now)
{
    state["user_message"] = new JsonObject
    {
        ["thread_id"] = userId, ["text"] = text, ["channel"] = channel, ["context"] = messageContext?.DeepClone() ?? new JsonObject(),
    };
    state["date"] = now;
    var context = state["context"] as JsonObject ?? [];
    state["context"] = context;
    foreach (var (key, value) in messageContext ?? [])
    {
        context[key] = value?.DeepClone();
    }

    if (state["complete"]?.GetValue<bool>() == true)
    {
        state["bot_message"] = new JsonArray();
        state["intent"] = null;
        state["parameters"] = new JsonArray();
        state["extracted_parameters"] = new JsonObject();
        state["missing_parameters"] = new JsonArray();
        state["complete"] = false;
        state["current_node"] = null;
    }
}
