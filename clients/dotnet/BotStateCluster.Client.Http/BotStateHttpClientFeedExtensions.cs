using System.Runtime.CompilerServices;

namespace BotStateCluster.Client.Http;

/// <summary>Following the change feed with <see cref="BotStateHttpClient.GetChangesAsync"/>, a long poll at a time.</summary>
public static class BotStateHttpClientFeedExtensions
{
    /// <summary>
    /// Every change of the tenant after <paramref name="cursor"/> (null: from the oldest kept), oldest first, for ever:
    /// each page waits up to <paramref name="wait"/> for an event. A dropped connection, a timeout, 503 or 429 is waited
    /// out and the page asked for again after the last event yielded. Save <see cref="ChangeEvent.Cursor"/> once an event
    /// is handled and pass it here after a restart: no event is repeated or skipped. End it with the token, or by
    /// leaving the loop.
    /// </summary>
    public static async IAsyncEnumerable<ChangeEvent> ChangesAsync(
        this BotStateHttpClient client,
        string? cursor = null,
        TimeSpan? wait = null,
        int pageSize = 100,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var held = wait ?? TimeSpan.FromSeconds(30);
        if (held < TimeSpan.FromSeconds(1) || held > TimeSpan.FromSeconds(30))
        {
            throw new ArgumentOutOfRangeException(nameof(wait), held, "Following the feed needs a wait of 1 to 30 seconds.");
        }

        var failures = 0;
        while (true)
        {
            ChangePage page;
            try
            {
                page = await client.GetChangesAsync(cursor, pageSize, held, cancellationToken);
            }
            catch (Exception exception) when (ChangeFeedFailures.IsPassing(exception, cancellationToken))
            {
                await Task.Delay(ChangeFeedFailures.PauseAfter(exception, failures++, client.RetryDelay), cancellationToken);
                continue;
            }

            failures = 0;
            foreach (var change in page.Items)
            {
                yield return change;
                cursor = change.Cursor;
            }

            if (page.Items.Count == 0)
            {
                // The same cursor when one was sent; from the start, the place the service says the start is.
                cursor = page.NextCursor;
            }
        }
    }
}
