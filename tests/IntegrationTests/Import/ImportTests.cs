using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using BotStateCluster.IntegrationTests.Support;
using BotStateCluster.Silo.Import;

namespace BotStateCluster.IntegrationTests.Import;

/// <summary>A realistic MongoDB export imported into a real cluster, twice.</summary>
[Collection(SqliteCluster.Name)]
public sealed class ImportTests(SqliteClusterFixture fixture)
{
    private const int Threads = 300;
    private const int TurnsPerThread = 10;
    private static readonly DateTimeOffset Start = new(2024, 3, 1, 8, 0, 0, TimeSpan.Zero);

    private readonly StateCluster _cluster = fixture.Cluster;

    [Fact]
    public async Task AMongoExportBecomesCurrentStatesAndHistoryAndASecondRunChangesNothing()
    {
        var export = SampleExport.Generate(Guid.NewGuid().ToString("N")[..8]);
        var importer = new StateImporter(_cluster.Cluster.Client, TenantId.Default, TimeProvider.System);

        var first = await importer.ImportAsync(new StringReader(export.Text), _ => { }, CancellationToken.None);

        Assert.Equal(export.Lines, first.Read);
        Assert.Equal(Threads * TurnsPerThread, first.Imported);
        Assert.Equal(Threads, first.Threads);
        var skipped = first.SkippedByReason;
        Assert.Equal(export.Malformed, skipped.Where(pair => pair.Key.StartsWith("malformed", StringComparison.Ordinal)).SelectMany(pair => pair.Value).Order());
        Assert.Equal(export.WithoutThread, skipped["no thread_id"]);
        Assert.Equal(export.WithoutDate, skipped["no date: a document without one cannot be put in order"]);
        Assert.Equal(export.WrongTyped, skipped["invalid: complete must be true or false."]);
        Assert.Equal(export.Duplicates, skipped["duplicate: an earlier document of the same thread_id has the same date"]);

        var versions = new Dictionary<string, int>();
        foreach (var thread in export.ThreadIds)
        {
            var stored = (await _cluster.Grain(thread).GetAsync())!;
            versions[thread] = stored.Version;
            Assert.Equal($"node-{TurnsPerThread}", stored.State.CurrentNode);
            Assert.Equal(SampleExport.DateOf(TurnsPerThread), stored.State.Date);
            Assert.Equal($"turn {TurnsPerThread}", stored.State.UserMessage!.Text);
        }

        var history = await _cluster.Grain(export.ThreadIds[0]).GetHistoryAsync(limit: 100);
        Assert.Equal(
            Enumerable.Range(TurnsPerThread - StateCluster.HistoryLimit + 1, StateCluster.HistoryLimit).Reverse().Select(SampleExport.DateOf),
            history.Items.Select(item => item.SavedAt));

        var second = await importer.ImportAsync(new StringReader(export.Text), _ => { }, CancellationToken.None);

        Assert.Equal(0, second.Imported);
        Assert.Equal(Threads * TurnsPerThread, second.SkippedByReason["already imported: the stored state is as new or newer"].Count);
        foreach (var thread in export.ThreadIds)
        {
            Assert.Equal(versions[thread], (await _cluster.Grain(thread).GetAsync())!.Version);
        }
    }

    [Fact]
    public async Task ToDictJsonLinesImportToo()
    {
        var thread = $"dict-{Guid.NewGuid():N}";
        var lines = Enumerable.Range(1, 3).Select(turn => new JsonObject
        {
            ["thread_id"] = thread,
            ["current_node"] = $"n{turn}",
            ["date"] = PythonDate.Format(SampleExport.DateOf(turn)),
        }.ToJsonString());
        var importer = new StateImporter(_cluster.Cluster.Client, TenantId.Default, TimeProvider.System);

        var summary = await importer.ImportAsync(new StringReader(string.Join('\n', lines.Reverse())), _ => { }, CancellationToken.None);

        Assert.Equal(3, summary.Imported);
        Assert.Equal("n3", (await _cluster.Grain(thread).GetAsync())!.State.CurrentNode);
    }

    /// <summary>A mongoexport of the Python framework's `state` collection, shuffled, with known defects.</summary>
    private sealed record SampleExport(string Text, int Lines, string[] ThreadIds, int[] Malformed, int[] WithoutThread, int[] WithoutDate, int[] WrongTyped, int[] Duplicates)
    {
        // Millisecond precision: the canonical {"$numberLong": ms} form carries no more.
        public static DateTimeOffset DateOf(int turn) => Start.AddMinutes(turn).AddMilliseconds(turn);

        public static SampleExport Generate(string suffix)
        {
            var random = new Random(42);
            var threadIds = Enumerable.Range(1, Threads).Select(i => $"{i:x4}-{suffix}").ToArray();
            var good = threadIds.SelectMany(thread => Enumerable.Range(1, TurnsPerThread).Select(turn => Document(thread, turn, random))).ToList();
            // Defects, each kind recognisable by its content; the line numbers are known after shuffling.
            var defects = new List<(string Kind, string Line)>();
            defects.AddRange(Enumerable.Range(0, 10).Select(i => ("malformed", i % 2 == 0 ? "{\"thread_id\": \"x\", " : "not json at all")));
            defects.AddRange(Enumerable.Range(0, 5).Select(i => ("no-thread", $"{{\"_id\": {{\"$oid\": \"{i:x24}\"}}, \"date\": {{\"$date\": \"2024-01-01T00:00:00Z\"}}}}")));
            defects.AddRange(Enumerable.Range(0, 4).Select(i => ("no-date", $"{{\"thread_id\": \"{threadIds[i]}\", \"current_node\": \"x\"}}")));
            defects.AddRange(Enumerable.Range(0, 5).Select(i => ("wrong-type", $"{{\"thread_id\": \"{threadIds[i]}\", \"complete\": \"yes\", \"date\": {{\"$date\": \"2030-01-01T00:00:00Z\"}}}}")));
            var all = good.Select(line => ("good", line)).Concat(defects).OrderBy(_ => random.Next()).ToList();
            // Duplicates (an export taken twice) come after their originals.
            var duplicates = Enumerable.Range(0, 5).Select(i => ("duplicate", Document(threadIds[10 + i], 3, new Random(i)))).ToList();
            all.AddRange(duplicates);

            var text = new StringBuilder();
            foreach (var (_, line) in all)
            {
                text.Append(line).Append('\n');
            }

            int[] LinesOf(string kind) => [.. all.Select((entry, index) => (entry.Item1, index + 1)).Where(entry => entry.Item1 == kind).Select(entry => entry.Item2)];
            return new SampleExport(text.ToString(), all.Count, threadIds, LinesOf("malformed"), LinesOf("no-thread"), LinesOf("no-date"), LinesOf("wrong-type"), LinesOf("duplicate"));
        }

        private static string Document(string thread, int turn, Random random)
        {
            var date = DateOf(turn);
            // mongoexport writes relaxed ISO dates, older tools the canonical {"$numberLong": ms}: both appear.
            JsonNode dateNode = turn % 3 == 0
                ? new JsonObject { ["$date"] = new JsonObject { ["$numberLong"] = date.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) } }
                : new JsonObject { ["$date"] = date.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture) };
            var document = new JsonObject
            {
                ["_id"] = new JsonObject { ["$oid"] = $"{random.Next():x8}{turn:x16}" },
                ["thread_id"] = thread,
                ["user_message"] = new JsonObject { ["thread_id"] = thread, ["text"] = $"turn {turn}", ["channel"] = "web", ["context"] = new JsonObject() },
                ["nlu"] = new JsonObject { ["confidence"] = new JsonObject { ["$numberDouble"] = "0.75" } },
                ["context"] = new JsonObject { ["turn"] = new JsonObject { ["$numberInt"] = turn.ToString(CultureInfo.InvariantCulture) } },
                ["current_node"] = $"node-{turn}",
                ["date"] = dateNode,
            };
            if (turn % 4 == 0)
            {
                // Older documents lack fields the framework added later; defaults fill them.
                document.Remove("nlu");
                document.Remove("user_message");
                document["user_message"] = new JsonObject { ["text"] = $"turn {turn}" };
            }

            return document.ToJsonString();
        }
    }
}
