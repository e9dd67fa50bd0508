using System.Security.Cryptography;

namespace BotStateCluster.Api.Keys;

/// <summary>
/// The keys in force: those of <c>API_KEYS</c> (tenant <c>default</c>, every scope) and those of <c>API_KEYS_FILE</c>,
/// which <see cref="TryReload"/> reads again when its content changed. A file that cannot be used leaves the last good
/// set in force.
/// </summary>
public sealed class ApiKeyRing
{
    private readonly IReadOnlyList<ApiKeyEntry> _fixedKeys;
    private ApiKeySet _current;
    private byte[]? _fileHash;
    private byte[]? _refusedHash;

    private ApiKeyRing(string? file, IReadOnlyList<ApiKeyEntry> fixedKeys, ApiKeySet current, byte[]? fileHash)
    {
        File = file;
        _fixedKeys = fixedKeys;
        _current = current;
        _fileHash = fileHash;
    }

    /// <summary>The path of <c>API_KEYS_FILE</c>, or null.</summary>
    public string? File { get; }

    /// <summary>The keys in force now.</summary>
    public ApiKeySet Current => Volatile.Read(ref _current);

    /// <summary>The keys <paramref name="options"/> configure.</summary>
    /// <exception cref="FormatException">The key file cannot be read or used; the message says why.</exception>
    public static ApiKeyRing Load(ApiOptions options)
    {
        var fixedKeys = options.Keys
            .Select((key, i) => new ApiKeyEntry($"API_KEYS[{i}]", TenantId.Default, ApiScopes.All, ApiKeySet.Sha256Hex(key), null))
            .ToList();
        if (options.ApiKeysFile is not { } file)
        {
            return new ApiKeyRing(null, fixedKeys, Build(fixedKeys, []), null);
        }

        var content = Read(file);
        return new ApiKeyRing(file, fixedKeys, Build(fixedKeys, ApiKeyFile.Parse(content)), SHA256.HashData(content));
    }

    /// <summary>
    /// Reads the key file again; when its content changed and is valid, its keys are in force from now on.
    /// </summary>
    /// <returns>What happened: nothing new, reloaded, or refused with why (once per distinct content).</returns>
    public ReloadResult TryReload()
    {
        if (File is null)
        {
            return ReloadResult.Unchanged;
        }

        byte[] content;
        try
        {
            content = Read(File);
        }
        catch (FormatException exception)
        {
            // A Secret being replaced can be missing for a moment: keep what is in force, say so once.
            return Refuse(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(exception.Message)), exception.Message);
        }

        var hash = SHA256.HashData(content);
        if (_fileHash is not null && hash.AsSpan().SequenceEqual(_fileHash))
        {
            return ReloadResult.Unchanged;
        }

        try
        {
            var set = Build(_fixedKeys, ApiKeyFile.Parse(content));
            Volatile.Write(ref _current, set);
            _fileHash = hash;
            _refusedHash = null;
            return new ReloadResult(ReloadOutcome.Reloaded, null);
        }
        catch (FormatException exception)
        {
            return Refuse(hash, exception.Message);
        }
    }

    private ReloadResult Refuse(byte[] hash, string reason)
    {
        if (_refusedHash is not null && hash.AsSpan().SequenceEqual(_refusedHash))
        {
            return ReloadResult.Unchanged;
        }

        _refusedHash = hash;
        return new ReloadResult(ReloadOutcome.Refused, reason);
    }

    private static ApiKeySet Build(IReadOnlyList<ApiKeyEntry> fixedKeys, IReadOnlyList<ApiKeyEntry> fileKeys)
    {
        try
        {
            return ApiKeySet.Of([.. fixedKeys, .. fileKeys]);
        }
        catch (ArgumentException exception)
        {
            throw new FormatException(exception.Message);
        }
    }

    private static byte[] Read(string file)
    {
        try
        {
            return System.IO.File.ReadAllBytes(file);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new FormatException($"cannot read {file} ({exception.GetType().Name})");
        }
    }
}

/// <summary>What a reload of the key file did.</summary>
public enum ReloadOutcome
{
    /// <summary>The file is as it was (or was refused as it is already).</summary>
    Unchanged,

    /// <summary>The file changed and its keys are in force.</summary>
    Reloaded,

    /// <summary>The file changed but cannot be used; the last good keys stay in force.</summary>
    Refused,
}

/// <summary>The outcome of <see cref="ApiKeyRing.TryReload"/>, and why the file was refused.</summary>
public sealed record ReloadResult(ReloadOutcome Outcome, string? Reason)
{
    public static ReloadResult Unchanged { get; } = new(ReloadOutcome.Unchanged, null);
}
