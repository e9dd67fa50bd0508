namespace BotStateCluster.Grains.Encryption;

/// <summary>
/// The conversations' data keys (DESIGN section 12), kept wrapped in the key store. Failures of the key store are
/// <see cref="StorageUnavailableException"/>s, answered 503 like the data database's.
/// </summary>
public interface IConversationKeys
{
    /// <summary>Whether encryption at rest is on; off, no other member is called.</summary>
    bool Enabled { get; }

    /// <summary>The conversation's data key, unwrapped; null when it has none (never had one, or it was shredded).</summary>
    Task<SealingKey?> FindAsync(ConversationKey conversation, CancellationToken cancellationToken);

    /// <summary>The conversation's data key, created and stored wrapped first when it has none.</summary>
    Task<SealingKey> GetOrCreateAsync(ConversationKey conversation, CancellationToken cancellationToken);

    /// <summary>Deletes the conversation's data key, making every copy of its data unreadable; done when it returns.</summary>
    Task ShredAsync(ConversationKey conversation, CancellationToken cancellationToken);

    /// <summary>Whether a plaintext row must be refused: once <c>encrypt-existing</c> has finished, or on a database that started encrypted.</summary>
    Task<bool> RefusesPlaintextAsync(CancellationToken cancellationToken);
}

/// <summary>Encryption off: the grain stores and reads plaintext exactly as without this feature.</summary>
public sealed class NoConversationKeys : IConversationKeys
{
    public bool Enabled => false;

    public Task<SealingKey?> FindAsync(ConversationKey conversation, CancellationToken cancellationToken) => throw Off();

    public Task<SealingKey> GetOrCreateAsync(ConversationKey conversation, CancellationToken cancellationToken) => throw Off();

    public Task ShredAsync(ConversationKey conversation, CancellationToken cancellationToken) => throw Off();

    public Task<bool> RefusesPlaintextAsync(CancellationToken cancellationToken) => Task.FromResult(false);

    private static InvalidOperationException Off() => new("Encryption at rest is off: there are no data keys.");
}
