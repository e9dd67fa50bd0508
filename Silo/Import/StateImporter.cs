using System.Text.Json.Nodes;

namespace BotStateCluster.Silo.Import;

/// <summary>
/// Replays saved states into the cluster as if each had been saved in date order: per thread the
/// documents go to the grain oldest first, so the newest becomes the current state and each leaves a
/// snapshot with its own date. The grain skips what is not newer than what it holds, which makes a
/// second run change nothing and lets a crashed run resume. Every state goes to <paramref name="tenant"/>.
/// </summary>
public sealed class StateImporter(IGrainFactory grains, TenantId tenant, TimeProvider clock)
{
    /// <summary>Threads imported at once; each thread's documents stay in order.</summary>
    public const int Parallelism = 16;

    /// <summary>How often a progress line is written.</summary>
    public static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(3);

    private sealed record Document(int Line, ConversationState State);

    public async Task<ImportSummary> ImportAsync(TextReader file, Action<string> progress, CancellationToken cancellationToken)
    {
        var summary = new ImportSummary();
        using var stopProgress = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reporter = ReportProgressAsync(summary, progress, stopProgress.Token);
        try
        {
            // Documents are grouped per thread in memory (a few hundred thousand states fit easily);
            // the order within a thread is only known once the whole file is read.
            var threads = new Dictionary<string, List<Document>>();
            await foreach (var line in ImportDocumentReader.ReadAsync(file, cancellationToken))
            {
                summary.CountRead();
                if (ToDocument(line, clock.GetUtcNow(), out var document, out var reason))
                {
                    var thread = document.State.ThreadId;
                    (threads.TryGetValue(thread, out var documents) ? documents : threads[thread] = []).Add(document);
                }
                else
                {
                    summary.Skip(line.Line, reason);
                }
            }

            summary.Threads = threads.Count;
            await Parallel.ForEachAsync(
                threads,
                new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
                async (thread, token) => await ImportThreadAsync(thread.Key, thread.Value, summary, token));
        }
        finally
        {
            await stopProgress.CancelAsync();
            await reporter;
        }

        return summary;
    }

    private async Task ImportThreadAsync(string threadId, List<Document> documents, ImportSummary summary, CancellationToken cancellationToken)
    {
        var grain = grains.GetStateGrain(tenant, UserId.Parse(threadId));
        DateTimeOffset? previous = null;
        // OrderBy is stable: documents of the same date keep their file order, and the first one wins.
        foreach (var document in documents.OrderBy(document => document.State.Date))
        {
            if (document.State.Date == previous)
            {
                summary.Skip(document.Line, "duplicate: an earlier document of the same thread_id has the same date");
                continue;
            }

            previous = document.State.Date;
            if (await grain.ImportAsync(document.State, cancellationToken))
            {
                summary.CountImported();
            }
            else
            {
                summary.Skip(document.Line, "already imported: the stored state is as new or newer");
            }
        }

        summary.CountThreadDone();
    }

    private static bool ToDocument(ImportLine line, DateTimeOffset now, out Document document, out string reason)
    {
        document = null!;
        if (line.Error is not null || line.Document is not JsonObject raw)
        {
            reason = line.Error is null ? "malformed: not a JSON object" : $"malformed: {Shorten(line.Error)}";
            return false;
        }

        JsonObject json;
        try
        {
            json = (JsonObject)MongoExtendedJson.Normalize(raw)!;
        }
        catch (Exception exception) when (exception is FormatException or InvalidOperationException)
        {
            reason = $"malformed extended JSON: {exception.Message}";
            return false;
        }

        json.Remove("_id");
        if (json["thread_id"] is not JsonValue idValue || idValue.GetValueKind() != System.Text.Json.JsonValueKind.String || idValue.GetValue<string>() is not { Length: > 0 } threadId)
        {
            reason = "no thread_id";
            return false;
        }

        if (UserId.Validate(threadId) is { } problem)
        {
            reason = $"invalid thread_id: {problem}";
            return false;
        }

        if (!json.ContainsKey("date"))
        {
            reason = "no date: a document without one cannot be put in order";
            return false;
        }

        try
        {
            document = new Document(line.Line, StateJson.FromJson(json, threadId, now));
            reason = "";
            return true;
        }
        catch (StateFormatException exception)
        {
            reason = $"invalid: {exception.Message}";
            return false;
        }
    }

    // The parser's message ends with position details that differ per line; the reason groups lines.
    private static string Shorten(string error) => error.Split(" Path:", 2)[0].Split(" LineNumber:", 2)[0];

    private static async Task ReportProgressAsync(ImportSummary summary, Action<string> progress, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(ProgressInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                progress(summary.ProgressLine());
            }
        }
        catch (OperationCanceledException)
        {
            // The import ended.
        }
    }
}
