using System.Net.Http.Json;
using System.Text.Json;

namespace BotStateCluster.Client.Http;

/// <summary>Turns a refused answer into a <see cref="BotStateProblemException"/>; the one place that reads problems.</summary>
internal static class ProblemReader
{
    public static async Task<BotStateProblemException> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        ProblemBody? problem = null;
        try
        {
            problem = await response.Content.ReadFromJsonAsync(WireJson.Default.ProblemBody, cancellationToken);
        }
        catch (JsonException)
        {
            // Not a problem document (a proxy's page, say): the status alone tells the kind.
        }

        var retryAfter = response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - DateTimeOffset.UtcNow,
            _ => (TimeSpan?)null,
        };
        return new BotStateProblemException(
            BotStateProblemException.KindOf(problem?.Type, response.StatusCode),
            response.StatusCode,
            problem?.Type,
            problem?.Title ?? response.ReasonPhrase,
            problem?.Detail,
            retryAfter);
    }
}
