using System.Security.Cryptography;
using BotStateCluster.Grains;
using BotStateCluster.Grains.Encryption;
using BotStateCluster.Silo.Storage;

namespace BotStateCluster.Silo.Encryption;

/// <summary>
/// The data keys of a silo with encryption on: kept wrapped in the key store, unwrapped by the master keys. Every
/// key store operation runs under its own deadline, so a key store that is down or frozen is a fast 503.
/// </summary>
internal sealed class SqlConversationKeys(KeyStore store, MasterKeyRing ring, StorageGuard guard, TimeProvider clock) : IConversationKeys
{
    // How long a "plaintext is still allowed" answer is trusted before asking the key store again.
    private static readonly TimeSpan PlaintextPolicyAge = TimeSpan.FromSeconds(1);

    private volatile bool _refusesPlaintext;
    private long _plaintextCheckedTicks;

    public bool Enabled => true;

    public async Task<SealingKey?> FindAsync(ConversationKey conversation, CancellationToken cancellationToken) =>
        await guard.RunAsync("key store read", () => store.FindAsync(conversation, cancellationToken)) is { } key
            ? ring.Unwrap(key.MasterKeyId, key.Wrapped, RowBinding.OfDataKey(store.ServiceId, conversation))
            : null;

    public async Task<SealingKey> GetOrCreateAsync(ConversationKey conversation, CancellationToken cancellationToken)
    {
        if (await FindAsync(conversation, cancellationToken) is { } existing)
        {
            return existing;
        }

        var material = SealingKey.NewKeyMaterial();
        try
        {
            var wrapped = new WrappedDataKey(conversation, ring.WrappingKeyId, ring.Wrap(material, RowBinding.OfDataKey(store.ServiceId, conversation)));
            if (await guard.RunAsync("key store write", () => store.InsertAsync(wrapped, cancellationToken)))
            {
                StateGrainMetrics.CountDataKeyCreated();
                return new SealingKey(material);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(material);
        }

        // Another writer (encrypt-existing, or this conversation's previous activation) stored one first: use it.
        return await FindAsync(conversation, cancellationToken)
            ?? throw new StorageUnavailableException(StorageFailureKind.Failed, "the key store lost a data key while it was being created", 1);
    }

    public async Task ShredAsync(ConversationKey conversation, CancellationToken cancellationToken)
    {
        // The deletion is cancelled at the deadline rather than left running: a deletion that committed after its
        // caller was told it failed would take the key from under the next activation's acknowledged writes.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(StorageGuard.Deadline);
        if (await guard.RunAsync("key store delete", () => store.DeleteAsync(conversation, deadline.Token)))
        {
            StateGrainMetrics.CountDataKeyShredded();
        }
    }

    public async Task<bool> RefusesPlaintextAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcTicks;
        if (_refusesPlaintext || now - Interlocked.Read(ref _plaintextCheckedTicks) < PlaintextPolicyAge.Ticks)
        {
            return _refusesPlaintext;
        }

        _refusesPlaintext = await guard.RunAsync("key store read", () => store.SettingAsync(KeyStore.PlaintextRefused, cancellationToken)) == "true";
        Interlocked.Exchange(ref _plaintextCheckedTicks, now);
        return _refusesPlaintext;
    }
}
