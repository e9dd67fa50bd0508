using System.Net.Http.Headers;
using BotStateCluster.Api.Webhooks;
using Microsoft.Extensions.Options;

namespace BotStateCluster.Silo.Webhooks;

/// <summary>How one try of a delivery ended: delivered (a 2xx answer), or why not, in words fit for a log (no URL, no body).</summary>
internal sealed record DeliveryOutcome(bool Delivered, string? Error)
{
    public static DeliveryOutcome Success { get; } = new(true, null);
}

/// <summary>
/// One try of a webhook delivery, as the Standard Webhooks specification says: a POST of the event's JSON with
/// <c>webhook-id</c>, <c>webhook-timestamp</c> (Unix seconds, of this try) and <c>webhook-signature</c>
/// (<c>v1,</c> HMAC-SHA256 of <c>{id}.{timestamp}.{body}</c>). A 2xx answer is a delivery; anything else, redirects
/// included, a failure.
/// </summary>
internal sealed class WebhookDelivery(IHttpClientFactory clients, IOptions<WebhookOptions> options, TimeProvider clock)
{
    /// <summary>The named client: no redirects followed, no timeout of its own (each try has <c>WEBHOOK_TIMEOUT</c>).</summary>
    public const string ClientName = "webhooks";

    private static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };

    public async Task<DeliveryOutcome> SendAsync(WebhookEndpoint endpoint, string id, byte[] body, CancellationToken cancellationToken)
    {
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = Json;
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", endpoint.Secret.Sign(id, timestamp, body));
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.Value.Timeout);
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            return response.IsSuccessStatusCode ? DeliveryOutcome.Success : new DeliveryOutcome(false, $"HTTP {(int)response.StatusCode}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new DeliveryOutcome(false, $"no answer within {options.Value.Timeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException exception)
        {
            return new DeliveryOutcome(false, $"connection failed ({exception.HttpRequestError})");
        }
    }
}
