using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

// A webhook receiver for the end-to-end tests, run as a real process. Each tenant posts to /hooks/{tenant}; every
// request is checked against that tenant's secret as a receiver following the Standard Webhooks specification checks
// it, and written down (RECEIVER_LOG, one JSON line each, kept across restarts) with the answer it got. The answer is
// the tenant's mode: ok (204), fail (500) or hang (no answer until the sender gives up), set by POST /control/{tenant}/{mode}.
//   RECEIVER_SECRETS  tenant=whsec_…;tenant=whsec_…
//   RECEIVER_LOG      the file of received requests
var builder = WebApplication.CreateBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();

var secrets = (app.Configuration["RECEIVER_SECRETS"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries)
    .Select(entry => entry.Split('=', 2))
    .ToDictionary(parts => parts[0], parts => Convert.FromBase64String(parts[1]["whsec_".Length..]));
var log = app.Configuration["RECEIVER_LOG"] ?? throw new InvalidOperationException("RECEIVER_LOG is not set.");
var modes = new ConcurrentDictionary<string, string>();
var writing = new Lock();

app.MapGet("/readiness", () => "ready");

app.MapPost("/control/{tenant}/{mode}", (string tenant, string mode) =>
{
    modes[tenant] = mode is "ok" or "fail" or "hang" ? mode : throw new BadHttpRequestException($"unknown mode {mode}");
    return Results.NoContent();
});

app.MapPost("/hooks/{tenant}", async (string tenant, HttpRequest request, CancellationToken cancellationToken) =>
{
    using var buffer = new MemoryStream();
    await request.Body.CopyToAsync(buffer, cancellationToken);
    var body = buffer.ToArray();
    string id = request.Headers["webhook-id"].ToString(), timestamp = request.Headers["webhook-timestamp"].ToString();
    var mode = modes.GetValueOrDefault(tenant, "ok");
    var entry = new JsonObject
    {
        ["tenant"] = tenant,
        ["id"] = id,
        ["timestamp"] = timestamp,
        ["verified"] = Verified(tenant, id, timestamp, request.Headers["webhook-signature"].ToString(), body),
        ["content_type"] = request.ContentType,
        ["answer"] = mode,
        ["body"] = JsonNode.Parse(body),
    };
    lock (writing)
    {
        File.AppendAllText(log, entry.ToJsonString() + "\n");
    }

    if (mode == "hang")
    {
        await Task.Delay(Timeout.Infinite, cancellationToken);
    }

    return mode == "ok" ? Results.NoContent() : Results.StatusCode(StatusCodes.Status500InternalServerError);
});

app.Run();

// The receiver's side of the scheme: the timestamp within five minutes, and one v1 signature among those sent equal, in
// constant time, to the HMAC-SHA256 of '{id}.{timestamp}.{body}' under the tenant's key.
bool Verified(string tenant, string id, string timestamp, string signatures, byte[] body)
{
    if (!secrets.TryGetValue(tenant, out var key) || !long.TryParse(timestamp, out var seconds)
        || Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - seconds) > 300 || id.Contains('.'))
    {
        return false;
    }

    byte[] signed = [.. Encoding.UTF8.GetBytes($"{id}.{timestamp}."), .. body];
    var expected = HMACSHA256.HashData(key, signed);
    return signatures.Split(' ', StringSplitOptions.RemoveEmptyEntries)
        .Where(signature => signature.StartsWith("v1,", StringComparison.Ordinal))
        .Select(signature => Decoded(signature[3..]))
        .Any(signature => CryptographicOperations.FixedTimeEquals(signature, expected));
}

static byte[] Decoded(string base64)
{
    var bytes = new byte[base64.Length];
    return Convert.TryFromBase64String(base64, bytes, out var length) ? bytes[..length] : [];
}
