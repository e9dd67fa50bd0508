using System.Collections.Concurrent;
using System.Text;

namespace BotStateCluster.Silo.Import;

/// <summary>What an import did, counted safely from concurrent writers, and the reasons documents were skipped.</summary>
public sealed class ImportSummary
{
    /// <summary>How many line numbers of each skip reason the summary lists.</summary>
    public const int ListedLines = 20;

    private readonly ConcurrentDictionary<string, ConcurrentQueue<int>> _skipped = new();
    private int _read;
    private int _imported;
    private int _threadsDone;

    public int Read => _read;

    public int Imported => _imported;

    public int Skipped => _skipped.Values.Sum(lines => lines.Count);

    public int ThreadsDone => _threadsDone;

    public int Threads { get; set; }

    /// <summary>Lines skipped by reason, in the order they were met.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<int>> SkippedByReason =>
        _skipped.ToDictionary(pair => pair.Key, pair => (IReadOnlyList<int>)[.. pair.Value.Order()]);

    public void CountRead() => Interlocked.Increment(ref _read);

    public void CountImported() => Interlocked.Increment(ref _imported);

    public void CountThreadDone() => Interlocked.Increment(ref _threadsDone);

    public void Skip(int line, string reason) => _skipped.GetOrAdd(reason, _ => new ConcurrentQueue<int>()).Enqueue(line);

    public string ProgressLine() =>
        $"import: read {Read}, imported {Imported}, skipped {Skipped}, threads {ThreadsDone}/{Threads}";

    public string Report()
    {
        var report = new StringBuilder()
            .AppendLine($"read {Read} documents, imported {Imported}, skipped {Skipped}, in {Threads} threads");
        foreach (var (reason, lines) in SkippedByReason.OrderByDescending(pair => pair.Value.Count))
        {
            var listed = string.Join(", ", lines.Take(ListedLines));
            var more = lines.Count > ListedLines ? $", … ({lines.Count - ListedLines} more)" : "";
            report.AppendLine($"  skipped {lines.Count}: {reason} (lines {listed}{more})");
        }

        return report.ToString();
    }
}
