using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace BotStateCluster.Client.Http;

/// <summary>
/// The v1 HTTP API of BotStateCluster: one method per operation, named after its OpenAPI operationId (<c>GetState</c>
/// is <see cref="GetStateAsync"/>). Register with <c>services.AddBotStateHttpClient(options => …)</c> and inject.
/// </summary>
/// <remarks>
/// Every call is safe to repeat and is retried on 503, 429 (after <c>Retry-After</c>), lost connections and attempt
/// timeouts; a turn is, because it carries an Idempotency-Key. A refusal is a <see cref="BotStateProblemException"/>;
/// a call that found no answer at all throws <see cref="HttpRequestException"/> or <see cref="TimeoutException"/>.
/// </remarks>
public sealed class BotStateHttpClient(HttpClient http, IOptions<BotStateHttpClientOptions> options)
{
    private const string IdempotencyKeyHeader = "Idempotency-Key";
    private const string ReplayedHeader = "Idempotent-Replayed";
    private const int HistoryPageSize = 100;

    private readonly bool _sendIdempotencyKeys = options.Value.SendIdempotencyKeys;

    /// <summary>GetState: the user's state and its version, or null when nothing is stored.</summary>
    public async Task<StateResult?> GetStateAsync(string userId, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(Request(HttpMethod.Get, StatePath(userId)), cancellationToken, HttpStatusCode.NotFound);
        return response.StatusCode == HttpStatusCode.NotFound ? null : await StateAsync(response, cancellationToken);
    }

    /// <summary>
    /// PutState: replaces the user's state (missing fields take their defaults). <paramref name="ifMatch"/> writes only
    /// over that version, <paramref name="createOnly"/> only when nothing is stored; otherwise PreconditionFailed.
    /// </summary>
    public async Task<StateResult> PutStateAsync(string userId, BotState state, int? ifMatch = null, bool createOnly = false, CancellationToken cancellationToken = default)
    {
        var request = Request(HttpMethod.Put, StatePath(userId), JsonContent.Create(state, WireJson.Default.BotState), ifMatch);
        if (createOnly)
        {
            request.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Any);
        }

        using var response = await SendAsync(request, cancellationToken);
        return await StateAsync(response, cancellationToken);
    }

    /// <summary>DeleteState: forgets the user's state and history; nothing happens when nothing is stored.</summary>
    public async Task DeleteStateAsync(string userId, int? ifMatch = null, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(Request(HttpMethod.Delete, StatePath(userId), ifMatch: ifMatch), cancellationToken);
    }

    /// <summary>
    /// PostMessage: one turn (the state is created when missing). It carries <paramref name="idempotencyKey"/>, or a new
    /// one (see <see cref="BotStateHttpClientOptions.SendIdempotencyKeys"/>), the same on every retry.
    /// </summary>
    public async Task<StateResult> PostMessageAsync(string userId, Message message, string? idempotencyKey = null, int? ifMatch = null, CancellationToken cancellationToken = default)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, StatePath(userId) + "/messages")
        {
            Content = JsonContent.Create(message, WireJson.Default.Message),
        };
        AddIfMatch(request, ifMatch);
        if ((idempotencyKey ?? (_sendIdempotencyKeys ? Guid.NewGuid().ToString("N") : null)) is { } key)
        {
            request.Headers.Add(IdempotencyKeyHeader, key);
            request.MarkSafeToRepeat();
        }

        using var response = await SendAsync(request, cancellationToken);
        var result = await StateAsync(response, cancellationToken);
        return response.Headers.TryGetValues(ReplayedHeader, out var replayed) && replayed.Contains("true") ? result with { Replayed = true } : result;
    }

    /// <summary>GetHistory: every kept snapshot of the user, newest first, fetched a page at a time.</summary>
    public async IAsyncEnumerable<HistoryEntry> GetHistoryAsync(string userId, int pageSize = HistoryPageSize, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        int? before = null;
        do
        {
            var query = $"?limit={pageSize.ToString(CultureInfo.InvariantCulture)}" + (before is { } version ? $"&before={version.ToString(CultureInfo.InvariantCulture)}" : "");
            var page = await GetJsonAsync(StatePath(userId) + "/history" + query, WireJson.Default.HistoryPage, cancellationToken);
            foreach (var entry in page.Items)
            {
                yield return entry;
            }

            before = page.NextBefore;
        }
        while (before is not null);
    }

    /// <summary>GetActiveIntent: the id of the user's active intent (null inside when none), or null when nothing is stored.</summary>
    public async Task<ActiveIntent?> GetActiveIntentAsync(string userId, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(Request(HttpMethod.Get, StatePath(userId) + "/active-intent"), cancellationToken, HttpStatusCode.NotFound);
        return response.StatusCode == HttpStatusCode.NotFound ? null : await ReadAsync(response, WireJson.Default.ActiveIntent, cancellationToken);
    }

    /// <summary>ListStates: every conversation (of the key's tenant), most recently updated first, a page at a time.</summary>
    public async IAsyncEnumerable<ConversationSummary> ListStatesAsync(ListStatesQuery? query = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        query ??= new ListStatesQuery();
        string? cursor = null;
        do
        {
            var page = await GetJsonAsync("/v1/states" + ListQuery(query, cursor), WireJson.Default.ConversationPage, cancellationToken);
            foreach (var item in page.Items)
            {
                yield return item;
            }

            cursor = page.NextCursor;
        }
        while (cursor is not null);
    }

    /// <summary>
    /// ExportState: everything stored about the user, as it streams in: the current state first, then every kept
    /// snapshot, newest first. A <see cref="ProblemKind.NotFound"/> problem when nothing is stored.
    /// </summary>
    public async IAsyncEnumerable<ExportLine> ExportStateAsync(string userId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(Request(HttpMethod.Get, StatePath(userId) + "/export"), cancellationToken, completion: HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length > 0)
            {
                yield return JsonSerializer.Deserialize(line, WireJson.Default.ExportLine) ?? throw new JsonException("An export line was null.");
            }
        }
    }

    /// <summary>PostErasures: erases up to 1000 users at once, each as <see cref="DeleteStateAsync"/> does; safe to repeat.</summary>
    public async Task<ErasureResult> PostErasuresAsync(IEnumerable<string> userIds, CancellationToken cancellationToken = default)
    {
        var request = Request(HttpMethod.Post, "/v1/erasures", JsonContent.Create(new ErasureRequest([.. userIds]), WireJson.Default.ErasureRequest));
        using var response = await SendAsync(request, cancellationToken);
        return await ReadAsync(response, WireJson.Default.ErasureResult, cancellationToken);
    }

    private static string StatePath(string userId) => "/v1/states/" + Uri.EscapeDataString(userId);

    private static string ListQuery(ListStatesQuery query, string? cursor)
    {
        var parts = new List<string> { "limit=" + query.PageSize.ToString(CultureInfo.InvariantCulture) };
        void Add(string name, string? value)
        {
            if (value is not null)
            {
                parts.Add(name + "=" + Uri.EscapeDataString(value));
            }
        }

        Add("cursor", cursor);
        Add("updated_after", query.UpdatedAfter?.ToString("O", CultureInfo.InvariantCulture));
        Add("updated_before", query.UpdatedBefore?.ToString("O", CultureInfo.InvariantCulture));
        Add("current_node", query.CurrentNode);
        Add("intent_id", query.IntentId);
        return "?" + string.Join('&', parts);
    }

    // Every request the client builds here is safe to send twice; only a turn without an Idempotency-Key is not.
    private static HttpRequestMessage Request(HttpMethod method, string path, HttpContent? content = null, int? ifMatch = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content }.MarkSafeToRepeat();
        AddIfMatch(request, ifMatch);
        return request;
    }

    private static void AddIfMatch(HttpRequestMessage request, int? version)
    {
        if (version is { } value)
        {
            request.Headers.IfMatch.Add(new EntityTagHeaderValue($"\"{value.ToString(CultureInfo.InvariantCulture)}\""));
        }
    }

    private async Task<T> GetJsonAsync<T>(string path, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(Request(HttpMethod.Get, path), cancellationToken);
        return await ReadAsync(response, type, cancellationToken);
    }

    /// <summary>Sends a request; an answer that is not a success (nor <paramref name="accepted"/>) becomes a problem exception.</summary>
    private async Task<HttpResponseMessage> SendAsync(
        HttpRequestMessage request, CancellationToken cancellationToken, HttpStatusCode? accepted = null, HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        using (request)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request, completion, cancellationToken);
            }
            catch (TimeoutRejectedException timeout)
            {
                throw new TimeoutException($"{request.Method} {request.RequestUri}: no answer within the client's timeouts.", timeout);
            }

            if (response.IsSuccessStatusCode || response.StatusCode == accepted)
            {
                return response;
            }

            using (response)
            {
                throw await ProblemReader.ReadAsync(response, cancellationToken);
            }
        }
    }

    private static async Task<StateResult> StateAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var state = await ReadAsync(response, WireJson.Default.BotState, cancellationToken);
        var tag = response.Headers.ETag?.Tag.Trim('"');
        return int.TryParse(tag, NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            ? new StateResult(state, version)
            : throw new InvalidOperationException($"The answer to {response.RequestMessage?.RequestUri} has no version (ETag '{tag}').");
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> type, CancellationToken cancellationToken) =>
        await response.Content.ReadFromJsonAsync(type, cancellationToken)
        ?? throw new JsonException($"The answer to {response.RequestMessage?.RequestUri} was null.");
}
