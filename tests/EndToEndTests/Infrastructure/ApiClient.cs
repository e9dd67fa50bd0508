using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace BotStateCluster.EndToEndTests;

/// <summary>The gateway's v1 API over HTTP, answering <see cref="ApiResponse"/>s whose failures show the services' output.</summary>
public sealed class ApiClient(HttpClient http, Func<string> diagnostics)
{
    public HttpClient Http => http;

    /// <summary>The path of a user's state, the user id percent-encoded as one segment (<c>a/b</c> is <c>a%2Fb</c>).</summary>
    public static string StatePath(string userId) => "/v1/states/" + Uri.EscapeDataString(userId);

    /// <summary>A user id no other test uses.</summary>
    public static string NewUserId(string purpose) => $"{purpose}-{Guid.NewGuid():N}";

    public Task<ApiResponse> GetStateAsync(string userId, params (string Name, string Value)[] headers) =>
        SendAsync(HttpMethod.Get, StatePath(userId), null, headers);

    public Task<ApiResponse> PutStateAsync(string userId, JsonNode state, params (string Name, string Value)[] headers) =>
        SendAsync(HttpMethod.Put, StatePath(userId), state.ToJsonString(), headers);

    public Task<ApiResponse> PostMessageAsync(string userId, string text, JsonObject? context = null, params (string Name, string Value)[] headers)
    {
        var body = new JsonObject { ["text"] = text };
        if (context is not null)
        {
            body["context"] = context.DeepClone();
        }

        return SendAsync(HttpMethod.Post, StatePath(userId) + "/messages", body.ToJsonString(), headers);
    }

    public Task<ApiResponse> DeleteStateAsync(string userId, params (string Name, string Value)[] headers) =>
        SendAsync(HttpMethod.Delete, StatePath(userId), null, headers);

    public Task<ApiResponse> GetHistoryAsync(string userId, string query = "", params (string Name, string Value)[] headers) =>
        SendAsync(HttpMethod.Get, StatePath(userId) + "/history" + query, null, headers);

    public Task<ApiResponse> GetActiveIntentAsync(string userId, params (string Name, string Value)[] headers) =>
        SendAsync(HttpMethod.Get, StatePath(userId) + "/active-intent", null, headers);

    /// <summary>Sends a request; <paramref name="pathAndQuery"/> goes on the wire exactly as written (already percent-encoded).</summary>
    public async Task<ApiResponse> SendAsync(HttpMethod method, string pathAndQuery, string? jsonBody = null, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, new Uri(http.BaseAddress!, pathAndQuery));
        if (jsonBody is not null)
        {
            request.Content = new StringContent(jsonBody, Encoding.UTF8, "application/json");
        }

        foreach (var (name, value) in headers)
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, value);
            }
        }

        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        // Every answer the suite sees is held to the gateway's own OpenAPI document.
        var contract = await OpenApiContract.OfAsync(http);
        var violations = contract.Violations(
            method.Method, request.RequestUri!.PathAndQuery, response.StatusCode, response.Content.Headers.ContentType?.MediaType,
            response.Headers.Select(header => header.Key), body);
        Assert.True(violations.Count == 0, $"The answer breaks the OpenAPI document:{Environment.NewLine}{string.Join(Environment.NewLine, violations)}{Environment.NewLine}{body}");
        return new ApiResponse(
            $"{method} {request.RequestUri!.PathAndQuery}",
            response.StatusCode,
            body,
            response.Headers,
            response.Content.Headers,
            diagnostics);
    }
}

/// <summary>What the gateway answered, with assertions whose failures show the request, the answer and the services' output.</summary>
public sealed class ApiResponse(
    string request,
    System.Net.HttpStatusCode status,
    string body,
    HttpResponseHeaders headers,
    HttpContentHeaders contentHeaders,
    Func<string> diagnostics)
{
    public string Request => request;

    public System.Net.HttpStatusCode Status => status;

    public string Body => body;

    public HttpResponseHeaders Headers => headers;

    /// <summary>The media type, e.g. <c>application/problem+json</c>.</summary>
    public string? MediaType => contentHeaders.ContentType?.MediaType;

    /// <summary>The ETag as sent, quotes included (<c>"3"</c>).</summary>
    public string? ETag => headers.ETag?.Tag;

    /// <summary>The version the ETag names.</summary>
    public int Version => int.TryParse(ETag?.Trim('"'), out var version)
        ? version
        : throw new Xunit.Sdk.XunitException($"{Describe()} has no numeric ETag.");

    /// <summary>The body as JSON.</summary>
    public JsonObject Json => JsonNode.Parse(body) as JsonObject
        ?? throw new Xunit.Sdk.XunitException($"{Describe()} is not a JSON object.");

    /// <summary>A header's value(s), comma-joined, or null.</summary>
    public string? Header(string name) =>
        headers.TryGetValues(name, out var values) || contentHeaders.TryGetValues(name, out values) ? string.Join(", ", values) : null;

    /// <summary>Fails unless the status is <paramref name="expected"/>.</summary>
    public ApiResponse ShouldBe(System.Net.HttpStatusCode expected)
    {
        if (status != expected)
        {
            throw new Xunit.Sdk.XunitException(
                $"Expected {(int)expected} {expected}, got {Describe()}{Environment.NewLine}{diagnostics()}");
        }

        return this;
    }

    /// <summary>Fails unless this is an RFC 9457 problem with <paramref name="expected"/> status and a detail.</summary>
    public ApiResponse ShouldBeProblem(System.Net.HttpStatusCode expected)
    {
        ShouldBe(expected);
        Assert.True(MediaType == "application/problem+json", $"Expected application/problem+json, got {MediaType}: {Describe()}");
        Assert.True(Json["status"]?.GetValue<int>() == (int)expected, $"The problem's status is not {(int)expected}: {Describe()}");
        Assert.False(string.IsNullOrWhiteSpace(Detail), $"The problem has no detail: {Describe()}");
        return this;
    }

    /// <summary>The problem's detail.</summary>
    public string? Detail => Json["detail"]?.GetValue<string>();

    public string Describe() => $"{request} -> {(int)status} {status} ETag={ETag ?? "none"} {MediaType}: {Truncate(body)}";

    private static string Truncate(string text) => text.Length <= 2000 ? text : text[..2000] + "…";
}
