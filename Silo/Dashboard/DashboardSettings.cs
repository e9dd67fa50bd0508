using Microsoft.Extensions.Options;

namespace BotStateCluster.Silo.Dashboard;

/// <summary>
/// The Orleans dashboard on the silo's HTTP listener (environment: <c>DASHBOARD_ENABLED</c>,
/// <c>DASHBOARD_USERNAME</c>, <c>DASHBOARD_PASSWORD</c>, <c>DASHBOARD_ALLOW_ANONYMOUS</c>).
/// </summary>
public sealed class DashboardSettings
{
    /// <summary>Where the dashboard is served.</summary>
    public const string Path = "/dashboard";

    [ConfigurationKeyName("DASHBOARD_ENABLED")]
    public bool Enabled { get; set; } = true;

    [ConfigurationKeyName("DASHBOARD_USERNAME")]
    public string? Username { get; set; }

    [ConfigurationKeyName("DASHBOARD_PASSWORD")]
    public string? Password { get; set; }

    /// <summary>Serve the dashboard without credentials on a listener other machines can reach.</summary>
    [ConfigurationKeyName("DASHBOARD_ALLOW_ANONYMOUS")]
    public bool AllowAnonymous { get; set; }

    /// <summary>
    /// The silo's listeners as configured, from every source the host merges into one setting: <c>--urls</c>,
    /// <c>DOTNET_URLS</c> and <c>ASPNETCORE_URLS</c>.
    /// </summary>
    [ConfigurationKeyName("urls")]
    public string? Urls { get; set; }

    /// <summary><c>ASPNETCORE_HTTP_PORTS</c> / <c>DOTNET_HTTP_PORTS</c>: ports on every address.</summary>
    [ConfigurationKeyName("http_ports")]
    public string? HttpPorts { get; set; }

    /// <summary><c>ASPNETCORE_HTTPS_PORTS</c> / <c>DOTNET_HTTPS_PORTS</c>: ports on every address.</summary>
    [ConfigurationKeyName("https_ports")]
    public string? HttpsPorts { get; set; }

    /// <summary>Kestrel's own endpoints (<c>Kestrel__Endpoints__NAME__Url</c>), which win over the others.</summary>
    [ConfigurationKeyName("Kestrel")]
    public KestrelSection Kestrel { get; set; } = new();

    public bool HasCredentials => !string.IsNullOrEmpty(Username) && !string.IsNullOrEmpty(Password);

    /// <summary>Every configured listener that other machines could reach.</summary>
    public IReadOnlyList<string> ConfiguredBeyondLoopback =>
    [
        .. Split(Urls).Where(url => !IsLoopback(url)),
        // The host uses the ports only when no URLs are set.
        .. (string.IsNullOrWhiteSpace(Urls) ? Split(HttpPorts).Concat(Split(HttpsPorts)) : []).Select(port => $"*:{port} (HTTP_PORTS)"),
        .. Kestrel.Endpoints.Values.Select(endpoint => endpoint.Url).OfType<string>().Where(url => !IsLoopback(url)),
    ];

    /// <summary>Whether <paramref name="url"/> (as configured or as Kestrel reports it bound) is on loopback only.</summary>
    public static bool IsLoopback(string url)
    {
        var host = url.Split("://", 2)[^1].Split('/')[0];
        host = host.StartsWith('[') ? host[..(host.IndexOf(']') + 1)] : host.Split(':')[0];
        return host is "localhost" or "[::1]" || (System.Net.IPAddress.TryParse(host.Trim('[', ']'), out var address) && System.Net.IPAddress.IsLoopback(address));
    }

    private static string[] Split(string? list) =>
        (list ?? "").Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The <c>Kestrel</c> configuration section, as far as the guard needs it.</summary>
    public sealed class KestrelSection
    {
        public Dictionary<string, KestrelEndpoint> Endpoints { get; set; } = new(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>One named Kestrel endpoint.</summary>
    public sealed class KestrelEndpoint
    {
        public string? Url { get; set; }
    }
}

internal sealed class DashboardSettingsValidator : IValidateOptions<DashboardSettings>
{
    public ValidateOptionsResult Validate(string? name, DashboardSettings settings)
    {
        if (!settings.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        if (string.IsNullOrEmpty(settings.Username) != string.IsNullOrEmpty(settings.Password))
        {
            return ValidateOptionsResult.Fail("DASHBOARD_USERNAME and DASHBOARD_PASSWORD must be set together.");
        }

        return settings.HasCredentials || settings.AllowAnonymous || settings.ConfiguredBeyondLoopback.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(Exposed(settings.ConfiguredBeyondLoopback));
    }

    /// <summary>The one line that stops a silo whose open dashboard other machines could reach.</summary>
    public static string Exposed(IEnumerable<string> listeners) =>
        $"DASHBOARD_USERNAME and DASHBOARD_PASSWORD are required when the silo listens beyond loopback ({string.Join(", ", listeners)}); " +
        "set DASHBOARD_ENABLED=false, or DASHBOARD_ALLOW_ANONYMOUS=true to serve it open on purpose.";
}
