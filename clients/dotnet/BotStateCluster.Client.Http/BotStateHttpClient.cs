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

    // The service sends a keep-alive comment after 15 s without events: a longer silence is a dead stream.
    private static readonly TimeSpan StreamSilence = TimeSpan.FromSeconds(45);

    private readonly bool _sendIdempotencyKeys = options.Value.SendIdempotencyKeys;

    /// <summary>The first pause of the client's backoff, which the feed's readers use between reconnections too.</summary>
    internal TimeSpan RetryDelay { get; } = options.Value.RetryDelay;

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

    /// <summary>GetSnapshot: the kept snapshot of one version of the user's state, or null when that version is not kept.</summary>
    public async Task<HistoryEntry?> GetSnapshotAsync(string userId, int version, CancellationToken cancellationToken = default)
    {
        var path = $"{StatePath(userId)}/history/{version.ToString(CultureInfo.InvariantCulture)}";
        using var response = await SendAsync(Request(HttpMethod.Get, path), cancellationToken, HttpStatusCode.NotFound);
        return response.StatusCode == HttpStatusCode.NotFound ? null : await ReadAsync(response, WireJson.Default.HistoryEntry, cancellationToken);
    }

    /// <summary>
    /// RestoreState: makes the snapshot of <paramref name="version"/> the current state again, as a new version.
    /// <paramref name="ifMatch"/> restores only over that version (else PreconditionFailed); NotFound when nothing is
    /// stored or the version is not kept. Not retried after a lost answer, which may have restored already.
    /// </summary>
    public async Task<StateResult> RestoreStateAsync(string userId, int version, int? ifMatch = null, CancellationToken cancellationToken = default)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, StatePath(userId) + "/restore")
        {
            Content = JsonContent.Create(new RestoreRequest(version), WireJson.Default.RestoreRequest),
        };
        AddIfMatch(request, ifMatch);
        using var response = await SendAsync(request, cancellationToken);
        return await StateAsync(response, cancellationToken);
    }

    /// <summary>
    /// ForkState: starts the conversation <paramref name="to"/> from the snapshot of <paramref name="version"/> (the
    /// current state when null) and returns its state. AlreadyExists when <paramref name="to"/> has a state, NotFound
    /// when the user has none or the version is not kept. Not retried after a lost answer (a repeat finds it taken).
    /// </summary>
    public async Task<StateResult> ForkStateAsync(string userId, string to, int? version = null, int? ifMatch = null, CancellationToken cancellationToken = default)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, StatePath(userId) + "/fork")
        {
            Content = JsonContent.Create(new ForkRequest(to, version), WireJson.Default.ForkRequest),
        };
        AddIfMatch(request, ifMatch);
        using var response = await SendAsync(request, cancellationToken);
        return await StateAsync(response, cancellationToken);
    }

    /// <summary>
    /// GetChanges: one page of the tenant's change feed after <paramref name="cursor"/> (null: from the oldest kept),
    /// oldest first, waiting up to <paramref name="wait"/> (at most 30 s) when there is none. To follow the feed, use
    /// <see cref="BotStateHttpClientFeedExtensions.ChangesAsync"/>.
    /// </summary>
    public async Task<ChangePage> GetChangesAsync(string? cursor = null, int pageSize = 100, TimeSpan? wait = null, CancellationToken cancellationToken = default)
    {
        var seconds = (int)(wait ?? TimeSpan.Zero).TotalSeconds;
        var query = $"?limit={pageSize.ToString(CultureInfo.InvariantCulture)}&wait={seconds.ToString(CultureInfo.InvariantCulture)}"
            + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor));
        var request = Request(HttpMethod.Get, "/v1/changes" + query).MarkHeldFor(TimeSpan.FromSeconds(seconds));
        using var response = await SendAsync(request, cancellationToken);
        return await ReadAsync(response, WireJson.Default.ChangePage, cancellationToken);
    }

    /// <summary>
    /// GetChangeStream: the tenant's changes after <paramref name="cursor"/> as Server-Sent Events, for ever. A stream
    /// that ends, breaks or stays silent past the keep-alives is opened again with <c>Last-Event-ID</c> set to the last
    /// event yielded; 503, 429 and lost connections are waited out, other refusals thrown. End it with the token.
    /// </summary>
    public async IAsyncEnumerable<ChangeEvent> GetChangeStreamAsync(string? cursor = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var failures = 0;
        while (true)
        {
            Exception? failure = null;
            using var silence = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var events = ReadStreamAsync(cursor, silence, cancellationToken).GetAsyncEnumerator(silence.Token);
            try
            {
                while (true)
                {
                    ChangeEvent change;
                    try
                    {
                        if (!await events.MoveNextAsync())
                        {
                            break;
                        }

                        change = events.Current;
                    }
                    catch (Exception exception) when (ChangeFeedFailures.IsPassing(exception, cancellationToken))
                    {
                        failure = exception;
                        break;
                    }

                    failures = 0;
                    yield return change;
                    cursor = change.Cursor;
                }
            }
            finally
            {
                await events.DisposeAsync();
            }

            await Task.Delay(ChangeFeedFailures.PauseAfter(failure, failures++, RetryDelay), cancellationToken);
        }
    }

    /// <summary>GetFailedDeliveries: the tenant's webhook deliveries that failed after their last try, oldest event first.</summary>
    public async Task<IReadOnlyList<FailedDelivery>> GetFailedDeliveriesAsync(int limit = 100, CancellationToken cancellationToken = default) =>
        (await GetJsonAsync("/v1/changes/failed-deliveries?limit=" + limit.ToString(CultureInfo.InvariantCulture), WireJson.Default.FailedDeliveriesPage, cancellationToken)).Items;

    /// <summary>
    /// RetryFailedDeliveries: sends the failed deliveries named by <paramref name="ids"/> again, or all of them when
    /// null, and says how many go out. Retried like a read: at worst a delivery goes out once more, which receivers
    /// drop by its webhook-id.
    /// </summary>
    public async Task<int> RetryFailedDeliveriesAsync(IEnumerable<string>? ids = null, CancellationToken cancellationToken = default)
    {
        var body = new RetryRequest(ids is null ? null : [.. ids]);
        var request = Request(HttpMethod.Post, "/v1/changes/failed-deliveries/retry", JsonContent.Create(body, WireJson.Default.RetryRequest));
        using var response = await SendAsync(request, cancellationToken);
        return (await ReadAsync(response, WireJson.Default.RetryAccepted, cancellationToken)).Retrying;
    }

    // One connection of the stream: its events until it ends; the silence source is cancelled when no line came in time.
    private async IAsyncEnumerable<ChangeEvent> ReadStreamAsync(string? lastEventId, CancellationTokenSource silence, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var request = Request(HttpMethod.Get, "/v1/changes/stream");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        using var response = await SendAsync(request, silence.Token, completion: HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(silence.Token));
        silence.CancelAfter(StreamSilence);
        await foreach (var message in ServerSentEvents.ReadAsync(reader, () => silence.CancelAfter(StreamSilence), silence.Token))
        {
            yield return JsonSerializer.Deserialize(message.Data, WireJson.Default.ChangeEvent) ?? throw new JsonException("A change event was null.");
        }
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
