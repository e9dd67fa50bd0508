namespace BotStateCluster.Silo;

/// <summary>The command-line verbs of the silo executable (none: run the silo).</summary>
internal static class SiloCommands
{
    /// <summary>Bring the database schema up to date, then exit (a Kubernetes Job, a compose service).</summary>
    public const string Migrate = "migrate";

    /// <summary>Replay the states of a file (MongoDB export or to_dict JSON lines) into the running cluster.</summary>
    public const string Import = "import";

    /// <summary>Make a new API key for <c>API_KEYS_FILE</c>: prints the key once and the entry to add.</summary>
    public const string Keys = "keys";

    /// <summary>Re-wrap every data key under the first master key of <c>ENCRYPTION_KEYS</c> (key store only).</summary>
    public const string RotateKeys = "rotate-keys";

    /// <summary>Encrypt the plaintext rows of a database that ran without encryption.</summary>
    public const string EncryptExisting = "encrypt-existing";
}
