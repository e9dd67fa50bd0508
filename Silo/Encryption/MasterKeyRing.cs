using System.Security.Cryptography;
using BotStateCluster.Grains;
using BotStateCluster.Grains.Encryption;

namespace BotStateCluster.Silo.Encryption;

/// <summary>
/// The configured master keys: the first wraps new data keys, every one unwraps the data keys it wrapped. A wrapped
/// data key is AES-256-GCM under its master key, bound to the service and conversation it belongs to.
/// </summary>
internal sealed class MasterKeyRing : IDisposable
{
    private readonly Dictionary<string, SealingKey> _keys = new(StringComparer.Ordinal);

    // AesGcm instances are not thread-safe; data keys are wrapped and unwrapped once per activation, rarely at once.
    private readonly Lock _gate = new();

    public MasterKeyRing(IReadOnlyList<MasterKey> keys)
    {
        foreach (var key in keys)
        {
            _keys.Add(key.Id, new SealingKey(key.Material));
            CryptographicOperations.ZeroMemory(key.Material);
        }

        WrappingKeyId = keys[0].Id;
    }

    /// <summary>The id of the master key new data keys are wrapped by.</summary>
    public string WrappingKeyId { get; }

    /// <summary>Whether a master key of <paramref name="id"/> is configured.</summary>
    public bool Has(string id) => _keys.ContainsKey(id);

    /// <summary>Wraps <paramref name="dataKey"/> under the wrapping key, bound to <paramref name="binding"/>.</summary>
    public byte[] Wrap(ReadOnlySpan<byte> dataKey, byte[] binding)
    {
        lock (_gate)
        {
            return _keys[WrappingKeyId].Seal(dataKey, binding);
        }
    }

    /// <summary>The data key <paramref name="wrapped"/> holds, as a key ready to use.</summary>
    /// <exception cref="IntegrityException">Not configured, altered, or wrapped for another conversation; counted.</exception>
    public SealingKey Unwrap(string masterKeyId, byte[] wrapped, byte[] binding)
    {
        byte[] material;
        try
        {
            lock (_gate)
            {
                material = _keys.TryGetValue(masterKeyId, out var master)
                    ? master.Open(wrapped, binding)
                    : throw new IntegrityException($"A data key is wrapped by master key '{masterKeyId}', which ENCRYPTION_KEYS does not configure.");
            }
        }
        catch (IntegrityException)
        {
            StateGrainMetrics.CountUnwrapFailure();
            throw;
        }

        try
        {
            return new SealingKey(material);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(material);
        }
    }

    /// <summary>The same data key wrapped under the wrapping key instead (rotate-keys); the data key never leaves this method.</summary>
    /// <exception cref="IntegrityException">As <see cref="Unwrap"/>.</exception>
    public byte[] Rewrap(string masterKeyId, byte[] wrapped, byte[] binding)
    {
        lock (_gate)
        {
            if (!_keys.TryGetValue(masterKeyId, out var master))
            {
                StateGrainMetrics.CountUnwrapFailure();
                throw new IntegrityException($"A data key is wrapped by master key '{masterKeyId}', which ENCRYPTION_KEYS does not configure.");
            }

            var material = master.Open(wrapped, binding);
            try
            {
                return _keys[WrappingKeyId].Seal(material, binding);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(material);
            }
        }
    }

    public void Dispose()
    {
        foreach (var key in _keys.Values)
        {
            key.Dispose();
        }
    }
}
