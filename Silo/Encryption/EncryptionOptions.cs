using System.Text.RegularExpressions;
using BotStateCluster.ServiceDefaults;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BotStateCluster.Silo.Encryption;

/// <summary>
/// Encryption at rest (DESIGN section 12; environment: <c>ENCRYPTION_KEYS</c> or <c>ENCRYPTION_KEYS_FILE</c>,
/// <c>KEY_STORE_URL</c>). Off unless master keys are given. Key material never appears in a message.
/// </summary>
public sealed partial class EncryptionOptions
{
    /// <summary>The key store's file beside an SQLite data file when <c>KEY_STORE_URL</c> is not set.</summary>
    public const string DefaultSqliteKeyStoreFile = "botstate.keys.db";

    /// <summary>Master keys, <c>id:base64(32 bytes)</c> separated by commas; the first wraps new data keys, all unwrap.</summary>
    [ConfigurationKeyName("ENCRYPTION_KEYS")]
    public string? Keys { get; set; }

    /// <summary>A file holding what <c>ENCRYPTION_KEYS</c> would (a mounted secret).</summary>
    [ConfigurationKeyName("ENCRYPTION_KEYS_FILE")]
    public string? KeysFile { get; set; }

    /// <summary>Where the wrapped data keys live, in the <c>DB_URL</c> forms; never the data database.</summary>
    [ConfigurationKeyName("KEY_STORE_URL")]
    public string? KeyStoreUrl { get; set; }

    /// <summary>Whether encryption at rest is on.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(Keys) || !string.IsNullOrWhiteSpace(KeysFile);

    /// <summary>The configured master keys, the wrapping one first.</summary>
    /// <exception cref="ConfigurationError">Malformed, not 32 bytes, a duplicate id, or the file cannot be read.</exception>
    public IReadOnlyList<MasterKey> MasterKeys()
    {
        if (!string.IsNullOrWhiteSpace(Keys) && !string.IsNullOrWhiteSpace(KeysFile))
        {
            throw new ConfigurationError("Set ENCRYPTION_KEYS or ENCRYPTION_KEYS_FILE, not both.");
        }

        var variable = string.IsNullOrWhiteSpace(Keys) ? "ENCRYPTION_KEYS_FILE" : "ENCRYPTION_KEYS";
        var text = string.IsNullOrWhiteSpace(Keys) ? ReadFile(KeysFile!) : Keys;
        var keys = new List<MasterKey>();
        foreach (var entry in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = entry.IndexOf(':', StringComparison.Ordinal);
            var id = colon < 0 ? "" : entry[..colon];
            if (!KeyId().IsMatch(id))
            {
                throw new ConfigurationError($"{variable}: each master key is id:base64(32 bytes), with an id of 1-64 characters of [A-Za-z0-9._-]; entry {keys.Count + 1} is not.");
            }

            var material = new byte[48];
            if (!Convert.TryFromBase64String(entry[(colon + 1)..], material, out var length) || length != Grains.Encryption.SealingKey.KeySize)
            {
                throw new ConfigurationError($"{variable}: master key '{id}' is not 32 bytes of base64 (make one with: openssl rand -base64 32).");
            }

            if (keys.Any(key => key.Id == id))
            {
                throw new ConfigurationError($"{variable}: master key id '{id}' appears twice; each id names one key.");
            }

            keys.Add(new MasterKey(id, material[..length]));
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(material);
        }

        return keys.Count > 0 ? keys : throw new ConfigurationError($"{variable} holds no master key.");
    }

    /// <summary>The key store, checked against the data database it must not be.</summary>
    /// <exception cref="ConfigurationError">Missing where required, unparseable, or the data database itself.</exception>
    public DatabaseTarget KeyStore(DatabaseTarget data)
    {
        DatabaseTarget store;
        if (string.IsNullOrWhiteSpace(KeyStoreUrl))
        {
            if (data.SqliteFile is not { } dataFile)
            {
                throw new ConfigurationError("KEY_STORE_URL is required with a PostgreSQL DB_URL and encryption on: a different database, so that backups of the data do not hold the keys.");
            }

            var beside = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(dataFile)) ?? ".", DefaultSqliteKeyStoreFile);
            // beside is absolute, so this is the sqlite:////absolute/path.db form.
            store = DatabaseUrl.Parse("sqlite:///" + beside, 10, "KEY_STORE_URL");
        }
        else
        {
            store = DatabaseUrl.Parse(KeyStoreUrl, 10, "KEY_STORE_URL");
        }

        if (data.Kind == DatabaseKind.PostgreSql && store.Kind != DatabaseKind.PostgreSql)
        {
            throw new ConfigurationError("KEY_STORE_URL must be a PostgreSQL database when DB_URL is: every silo shares the key store.");
        }

        return SameDatabase(data, store)
            ? throw new ConfigurationError($"KEY_STORE_URL names the data database ({store.Description}): the keys must live apart from the data, or its backups would hold them.")
            : store;
    }

    private static bool SameDatabase(DatabaseTarget data, DatabaseTarget store)
    {
        if (data.Kind != store.Kind)
        {
            return false;
        }

        if (data.Kind == DatabaseKind.Sqlite)
        {
            return string.Equals(Path.GetFullPath(data.SqliteFile!), Path.GetFullPath(store.SqliteFile!), StringComparison.Ordinal);
        }

        var a = new NpgsqlConnectionStringBuilder(data.ConnectionString);
        var b = new NpgsqlConnectionStringBuilder(store.ConnectionString);
        return string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port
            && string.Equals(a.Database ?? a.Username, b.Database ?? b.Username, StringComparison.Ordinal);
    }

    private static string ReadFile(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationError($"ENCRYPTION_KEYS_FILE '{path}' cannot be read: {error.Message}");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex KeyId();
}

/// <summary>A master key: its id, stored with every data key it wraps, and its 32 bytes.</summary>
public sealed record MasterKey(string Id, byte[] Material)
{
    /// <inheritdoc />
    public override string ToString() => $"master key '{Id}'";
}

internal sealed class EncryptionOptionsValidator : IValidateOptions<EncryptionOptions>
{
    public ValidateOptionsResult Validate(string? name, EncryptionOptions options)
    {
        if (!options.Enabled)
        {
            return string.IsNullOrWhiteSpace(options.KeyStoreUrl)
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail("KEY_STORE_URL is set but encryption is off: set ENCRYPTION_KEYS or ENCRYPTION_KEYS_FILE too, or unset it.");
        }

        try
        {
            _ = options.MasterKeys();
            if (!string.IsNullOrWhiteSpace(options.KeyStoreUrl))
            {
                _ = DatabaseUrl.Parse(options.KeyStoreUrl, 10, "KEY_STORE_URL");
            }

            return ValidateOptionsResult.Success;
        }
        catch (ConfigurationError error)
        {
            return ValidateOptionsResult.Fail(error.Message);
        }
    }
}
