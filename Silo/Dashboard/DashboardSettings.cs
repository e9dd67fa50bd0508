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

    /// <summary>The silo's HTTP listener, to tell loopback from reachable.</summary>
    [ConfigurationKeyName("ASPNETCORE_URLS")]
    public string? Urls { get; set; }

    public bool HasCredentials => !string.IsNullOrEmpty(Username) && !string.IsNullOrEmpty(Password);

    /// <summary>Whether every HTTP listener of the silo is on loopback (the default one is).</summary>
    public bool ListensOnLoopbackOnly =>
        string.IsNullOrWhiteSpace(Urls) || Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).All(IsLoopback);

    private static bool IsLoopback(string url)
    {
        var host = url.Split("://", 2)[^1].Split('/')[0];
        host = host.StartsWith('[') ? host[..(host.IndexOf(']') + 1)] : host.Split(':')[0];
        return host is "localhost" or "[::1]" || (System.Net.IPAddress.TryParse(host.Trim('[', ']'), out var address) && System.Net.IPAddress.IsLoopback(address));
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

        return settings.HasCredentials || settings.AllowAnonymous || settings.ListensOnLoopbackOnly
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                "DASHBOARD_USERNAME and DASHBOARD_PASSWORD are required when the silo listens beyond loopback (ASPNETCORE_URLS); " +
                "set DASHBOARD_ENABLED=false, or DASHBOARD_ALLOW_ANONYMOUS=true to serve it open on purpose.");
    }
}
