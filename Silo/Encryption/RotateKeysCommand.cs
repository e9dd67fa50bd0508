using BotStateCluster.Grains.Encryption;

namespace BotStateCluster.Silo.Encryption;

/// <summary>
/// <c>dotnet run --project Silo -- rotate-keys</c>: re-wraps every data key that another master key wraps under the
/// first of <c>ENCRYPTION_KEYS</c>, touching only the key store (no data row changes). Online: silos go on unwrapping
/// with any configured key. Resumable: what is done stays done, and a second run does the rest. Once it reports
/// nothing left, the other master keys can be removed from <c>ENCRYPTION_KEYS</c>.
/// </summary>
internal static class RotateKeysCommand
{
    private const int BatchSize = 500;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter errors, CancellationToken cancellationToken)
    {
        if (args.Length > 0)
        {
            await errors.WriteLineAsync("usage: rotate-keys (reads DB_URL, KEY_STORE_URL and ENCRYPTION_KEYS as the silo does)");
            return 2;
        }

        using var context = await EncryptionCommandContext.LoadAsync(SiloCommands.RotateKeys, cancellationToken);
        var store = context.Store;
        var target = context.Ring.WrappingKeyId;
        var total = await store.CountWrappedByOthersAsync(target, cancellationToken);
        await output.WriteLineAsync($"rotate-keys: {total} data keys to re-wrap under master key '{target}'");
        var failed = 0;
        await using (var progress = new ProgressLine(SiloCommands.RotateKeys, total, output))
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var batch = await store.WrappedByOthersAsync(target, BatchSize, cancellationToken);
                var changed = 0;
                foreach (var key in batch)
                {
                    try
                    {
                        var binding = RowBinding.OfDataKey(store.ServiceId, key.Conversation);
                        // False when the key was shredded or rotated meanwhile: either way nothing is left to do for it.
                        await store.RewrapAsync(key, target, context.Ring.Rewrap(key.MasterKeyId, key.Wrapped, binding), cancellationToken);
                        changed++;
                    }
                    catch (IntegrityException problem)
                    {
                        failed++;
                        await errors.WriteLineAsync($"rotate-keys: a data key of tenant {key.Conversation.Tenant} does not unwrap: {problem.Message}");
                    }

                    progress.Add();
                }

                if (batch.Count == 0 || changed == 0)
                {
                    break;
                }
            }
        }

        var left = await store.CountWrappedByOthersAsync(target, cancellationToken);
        await output.WriteLineAsync(left == 0
            ? $"rotate-keys: done; every data key is wrapped by '{target}', and the other master keys can be removed from ENCRYPTION_KEYS"
            : $"rotate-keys: {left} data keys are still wrapped by another master key ({failed} did not unwrap); keep those master keys");
        return left == 0 ? 0 : 1;
    }
}
