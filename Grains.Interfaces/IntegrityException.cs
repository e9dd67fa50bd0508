namespace BotStateCluster;

/// <summary>
/// A conversation's stored data failed its integrity check: a row that does not decrypt under the conversation's key
/// with what it claims to be (copied from another conversation or version, altered), or a plaintext row where only
/// ciphertext may be. Nothing of it is served; the silo logged it once when it found it. A gateway answers 500
/// <c>integrity-error</c>. The message names no user and holds nothing of the data.
/// </summary>
[GenerateSerializer, Alias("BotState.IntegrityException")]
public sealed class IntegrityException : Exception
{
    public IntegrityException()
        : base("The conversation's stored data failed its integrity check; nothing of it is served.")
    {
    }

    public IntegrityException(string message)
        : base(message)
    {
    }
}
