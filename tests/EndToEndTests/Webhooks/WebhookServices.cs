using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace BotStateCluster.EndToEndTests;

/// <summary>
/// A silo that serves the API and delivers webhooks, and a gateway, on SQLite, with a real receiver: the tenant
/// <c>default</c>'s webhook from WEBHOOK_URL and WEBHOOK_SECRET, tenant <c>acme</c>'s from the key file, each with its
/// own secret. Tries are quick (a 1 s timeout, 3 tries, 1 s then 2 s apart), so that failures show within seconds.
/// </summary>
public sealed class WebhookServices : IAsyncLifetime
{
    public const string DefaultKey = "default-all-key-0123456789abcdef";
    public const string AcmeKey = "acme-hooks-key-0123456789abcdef";
    public const int Attempts = 3;

    public static readonly IReadOnlyDictionary<string, string> Secrets = new Dictionary<string, string>
    {
        ["default"] = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        ["acme"] = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)),
    };

    private readonly string _directory = Directory.CreateTempSubdirectory("botstate-hooks-").FullName;
    private ServiceCluster? _cluster;

    public WebhookReceiverProcess Receiver { get; private set; } = null!;

    public ServiceCluster Cluster => _cluster ?? throw new InvalidOperationException("Not started.");

    /// <summary>The gateway's API, then the silo's own.</summary>
    public IReadOnlyList<ApiClient> Apis => [Cluster.Api, new ApiClient(Cluster.Silo.Http, Cluster.Describe)];

    public async Task InitializeAsync()
    {
        Receiver = await WebhookReceiverProcess.StartAsync(_directory, Secrets);
        var keys = new JsonObject
        {
            ["keys"] = new JsonArray(
                TenantKeys.Entry("default-all", "default", ["read", "write", "privacy"], TenantKeys.Sha256(DefaultKey)),
                TenantKeys.Entry("acme-hooks", "acme", ["read", "write"], TenantKeys.Sha256(AcmeKey))),
            ["tenants"] = new JsonObject { ["acme"] = new JsonObject { ["webhook"] = new JsonObject { ["url"] = Receiver.UrlOf("acme"), ["secret"] = Secrets["acme"] } } },
        };
        var keyFile = Path.Combine(_directory, "keys.json");
        await File.WriteAllTextAsync(keyFile, keys.ToJsonString());
        var api = new Dictionary<string, string> { ["API_KEYS_FILE"] = keyFile };
        _cluster = new ServiceCluster(new Dictionary<string, string>(api)
        {
            ["SILO_API_ENABLED"] = "true",
            ["WEBHOOK_URL"] = Receiver.UrlOf("default"),
            ["WEBHOOK_SECRET"] = Secrets["default"],
            ["WEBHOOK_TIMEOUT"] = "1s",
            ["WEBHOOK_ATTEMPTS"] = Attempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["WEBHOOK_RETRY_DELAY"] = "1s",
        }, api);
        try
        {
            await _cluster.StartAsync();
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        await Receiver.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
