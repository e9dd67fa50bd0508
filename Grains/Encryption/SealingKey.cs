using System.Security.Cryptography;

namespace BotStateCluster.Grains.Encryption;

/// <summary>
/// An AES-256-GCM key from .NET's own <see cref="AesGcm"/>: a conversation's data key, or a master key that wraps
/// data keys. Every seal draws a fresh random 12-byte nonce; the output is nonce, ciphertext and 16-byte tag in
/// that order. Not thread-safe (neither is <see cref="AesGcm"/>): a grain's turns run one at a time, and shared
/// master keys are used under a lock by their owner.
/// </summary>
public sealed class SealingKey : IDisposable
{
    /// <summary>Bytes of a key: AES-256.</summary>
    public const int KeySize = 32;

    private const int NonceSize = 12;
    private const int TagSize = 16;

    private readonly AesGcm _aes;

    /// <summary>Takes a copy of <paramref name="key"/> into the cipher; the caller zeroes its own copy.</summary>
    public SealingKey(ReadOnlySpan<byte> key)
    {
        if (key.Length != KeySize)
        {
            throw new ArgumentException($"An AES-256-GCM key is {KeySize} bytes, not {key.Length}.", nameof(key));
        }

        _aes = new AesGcm(key, TagSize);
    }

    /// <summary>New random key material (for a data key); zero it once it is wrapped and loaded.</summary>
    public static byte[] NewKeyMaterial() => RandomNumberGenerator.GetBytes(KeySize);

    /// <summary>Encrypts <paramref name="plaintext"/> bound to <paramref name="associatedData"/>.</summary>
    public byte[] Seal(ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData)
    {
        var output = new byte[NonceSize + plaintext.Length + TagSize];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        _aes.Encrypt(nonce, plaintext, output.AsSpan(NonceSize, plaintext.Length), output.AsSpan(NonceSize + plaintext.Length), associatedData);
        return output;
    }

    /// <summary>Decrypts what <see cref="Seal"/> made with the same associated data.</summary>
    /// <exception cref="IntegrityException">Altered, truncated, or sealed for something else.</exception>
    public byte[] Open(ReadOnlySpan<byte> sealedBytes, ReadOnlySpan<byte> associatedData)
    {
        if (sealedBytes.Length < NonceSize + TagSize)
        {
            throw new IntegrityException();
        }

        var plaintext = new byte[sealedBytes.Length - NonceSize - TagSize];
        try
        {
            _aes.Decrypt(sealedBytes[..NonceSize], sealedBytes[NonceSize..^TagSize], sealedBytes[^TagSize..], plaintext, associatedData);
            return plaintext;
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new IntegrityException();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _aes.Dispose();
}
