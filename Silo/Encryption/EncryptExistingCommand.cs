using System.Text;
using System.Text.Json.Nodes;
using BotStateCluster.Grains;
using BotStateCluster.Grains.Encryption;

namespace BotStateCluster.Silo.Encryption;

/// <summary>
/// <c>dotnet run --project Silo -- encrypt-existing [--rate ROWS_PER_SECOND]</c>: seals the plaintext rows of a database
/// that ran without encryption (states with their receipts, snapshots, change events), each under its conversation's
/// data key bound to its version, as the silos would have. Online: run it while the silos serve with encryption on (they
/// read plaintext until this finishes, and write sealed); a row a silo rewrote meanwhile is left to it. Resumable: only
/// plaintext rows are walked, so a second run does what the first did not. When nothing is left, plaintext rows are
/// refused from then on.
/// </summary>
internal static class EncryptExistingCommand
{
    private const int PageSize = 200;
    private const string Usage = "usage: encrypt-existing [--rate ROWS_PER_SECOND] (reads DB_URL, KEY_STORE_URL and ENCRYPTION_KEYS as the silo does)";

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter errors, CancellationToken cancellationToken)
    {
        double? rate = null;
        switch (args)
        {
            case []:
                break;
            case ["--rate", var text] when double.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var value) && value > 0:
                rate = value;
                break;
            default:
                await errors.WriteLineAsync(Usage);
                return 2;
        }

        using var context = await EncryptionCommandContext.LoadAsync(SiloCommands.EncryptExisting, cancellationToken);
        var rows = new PlaintextRows(context.Data, context.Store.ServiceId);
        var total = await rows.CountAsync(cancellationToken);
        await output.WriteLineAsync($"encrypt-existing: {total} plaintext rows to encrypt in {context.Data.Description}");
        await using (var progress = new ProgressLine(SiloCommands.EncryptExisting, total, output))
        {
            var pace = new Pace(rate, progress);
            await SealStatesAsync(rows, context.Keys, progress, pace, cancellationToken);
            await SealSnapshotsAsync(rows, context.Keys, progress, pace, cancellationToken);
            await SealChangesAsync(rows, context.Keys, progress, pace, cancellationToken);
        }

        var left = await rows.CountAsync(cancellationToken);
        if (left > 0)
        {
            await output.WriteLineAsync($"encrypt-existing: {left} rows are still plaintext (written meanwhile by a silo without encryption?); run it again");
            return 1;
        }

        await context.Store.SetSettingAsync(KeyStore.PlaintextRefused, "true", cancellationToken);
        await output.WriteLineAsync("encrypt-existing: done; every row is encrypted, and from now on a plaintext row is refused as an integrity error");
        return 0;
    }

    private static async Task SealStatesAsync(PlaintextRows rows, IConversationKeys keys, ProgressLine progress, Pace pace, CancellationToken cancellationToken)
    {
        var serializer = new StateRecordSerializer();
        ConversationKey? after = null;
        while (await rows.StatesAfterAsync(after, PageSize, cancellationToken) is { Count: > 0 } page)
        {
            foreach (var row in page)
            {
                // The record as the grain would read it, sealed as the grain would write it at this version, minus the
                // change: rewriting a row is no change for the feed.
                var payload = new JsonObject { ["state"] = JsonNode.Parse(row.State), ["meta"] = JsonNode.Parse(row.Meta ?? "{}") };
                var record = serializer.Deserialize<StateRecord>(BinaryData.FromString(payload.ToJsonString()))!;
                using var cipher = new ConversationCipher(keys, row.Conversation);
                await cipher.SealAsync(record, record.State!, row.Version, cancellationToken);
                var sealedRow = JsonNode.Parse(serializer.Serialize(record).ToString())!;
                await rows.ReplaceStateAsync(row, sealedRow["state"]!.ToJsonString(), sealedRow["meta"]!.ToJsonString(), cancellationToken);
                progress.Add();
                await pace.KeepAsync(cancellationToken);
            }

            after = page[^1].Conversation;
        }
    }

    private static async Task SealSnapshotsAsync(PlaintextRows rows, IConversationKeys keys, ProgressLine progress, Pace pace, CancellationToken cancellationToken)
    {
        PlaintextRow? last = null;
        while (await rows.SnapshotsAfterAsync(last?.Conversation, last?.Version ?? 0, PageSize, cancellationToken) is { Count: > 0 } page)
        {
            foreach (var row in page)
            {
                using var cipher = new ConversationCipher(keys, row.Conversation);
                await rows.ReplaceSnapshotAsync(row, await cipher.SealStoredAsync(row.State, row.Version, cancellationToken), cancellationToken);
                progress.Add();
                await pace.KeepAsync(cancellationToken);
            }

            last = page[^1];
        }
    }

    private static async Task SealChangesAsync(PlaintextRows rows, IConversationKeys keys, ProgressLine progress, Pace pace, CancellationToken cancellationToken)
    {
        long after = 0;
        while (await rows.ChangesAfterAsync(after, PageSize, cancellationToken) is { Count: > 0 } page)
        {
            foreach (var row in page)
            {
                // An erased conversation gets no key made for it: its old events lose their state instead.
                string? sealedState = null;
                if (await rows.IsLiveAsync(row.Conversation, cancellationToken))
                {
                    using var cipher = new ConversationCipher(keys, row.Conversation);
                    sealedState = await cipher.SealStoredAsync(row.State, row.Version, cancellationToken);
                }

                await rows.ReplaceChangeAsync(row, sealedState, cancellationToken);
                progress.Add();
                await pace.KeepAsync(cancellationToken);
            }

            after = page[^1].Sequence;
        }
    }

    /// <summary>Holds the command to <c>--rate</c> rows a second, so that it takes no more of the database than asked.</summary>
    private sealed class Pace(double? rate, ProgressLine progress)
    {
        public async Task KeepAsync(CancellationToken cancellationToken)
        {
            if (rate is { } perSecond && TimeSpan.FromSeconds(progress.Done / perSecond) - progress.Elapsed is { } ahead && ahead > TimeSpan.Zero)
            {
                await Task.Delay(ahead, cancellationToken);
            }
        }
    }
}
