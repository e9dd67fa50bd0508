using System.Security.Cryptography;
using BotStateCluster.Api.Keys;
using BotStateCluster.Api.Webhooks;
using Microsoft.Extensions.Options;

namespace BotStateCluster.Silo.Webhooks;

/// <summary>
/// The webhooks in force: the tenant <c>default</c>'s from <c>WEBHOOK_URL</c>, and each tenant's from the
/// <c>tenants</c> of <c>API_KEYS_FILE</c> (which wins), re-read by <see cref="Reload"/> when the file changed. A file that
/// cannot be used leaves the last good webhooks in force.
/// </summary>
internal sealed partial class WebhookDirectory
{
    private readonly WebhookEndpoint? _fromEnvironment;
    private readonly string? _file;
    private readonly ILogger<WebhookDirectory> _logger;
    private IReadOnlyDictionary<TenantId, WebhookEndpoint> _fromFile = new Dictionary<TenantId, WebhookEndpoint>();
    private byte[]? _fileHash;

    public WebhookDirectory(IOptions<WebhookOptions> options, ILogger<WebhookDirectory> logger)
    {
        _fromEnvironment = options.Value.DefaultEndpoint;
        _file = options.Value.ApiKeysFile;
        _logger = logger;
        Reload();
    }

    /// <summary>The tenants that have a webhook.</summary>
    public IReadOnlyCollection<TenantId> Tenants
    {
        get
        {
            var fromFile = Volatile.Read(ref _fromFile);
            return _fromEnvironment is null || fromFile.ContainsKey(TenantId.Default) ? [.. fromFile.Keys] : [.. fromFile.Keys, TenantId.Default];
        }
    }

    /// <summary>The webhook of <paramref name="tenant"/>, or null when it has none.</summary>
    public WebhookEndpoint? For(TenantId tenant) =>
        Volatile.Read(ref _fromFile).TryGetValue(tenant, out var endpoint) ? endpoint : tenant == TenantId.Default ? _fromEnvironment : null;

    /// <summary>Reads the key file again when its content changed.</summary>
    public void Reload()
    {
        if (_file is null)
        {
            return;
        }

        try
        {
            var content = File.ReadAllBytes(_file);
            var hash = SHA256.HashData(content);
            if (_fileHash is not null && hash.AsSpan().SequenceEqual(_fileHash))
            {
                return;
            }

            _fileHash = hash;
            Volatile.Write(ref _fromFile, ApiKeyFile.Read(content).Webhooks);
            LogLoaded(_fromFile.Count);
        }
        catch (Exception exception) when (exception is FormatException or IOException or UnauthorizedAccessException)
        {
            // The API's watcher of the same file says what is wrong with it; here only that the webhooks stay as they were.
            LogKept(exception.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhooks of {Tenants} tenants from API_KEYS_FILE in force")]
    private partial void LogLoaded(int tenants);

    [LoggerMessage(Level = LogLevel.Debug, Message = "API_KEYS_FILE could not be read for webhooks ({Reason}); the last good ones stay in force")]
    private partial void LogKept(string reason);
}
