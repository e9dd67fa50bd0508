using BotStateCluster.ServiceDefaults;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace BotStateCluster.Silo.Dashboard;

/// <summary>
/// The dashboard guard's last word, on what Kestrel actually bound: a listener configured by a source the settings
/// do not see (an <c>appsettings</c> file, a code default) must not serve an open dashboard to the network either.
/// </summary>
internal static class DashboardExposure
{
    /// <exception cref="ConfigurationError">An open dashboard is reachable beyond loopback.</exception>
    public static void EnsureProtected(IServiceProvider services)
    {
        var settings = services.GetRequiredService<IOptions<DashboardSettings>>().Value;
        if (!settings.Enabled || settings.HasCredentials || settings.AllowAnonymous)
        {
            return;
        }

        var bound = services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var exposed = bound.Where(address => !DashboardSettings.IsLoopback(address)).ToList();
        if (exposed.Count > 0)
        {
            throw new ConfigurationError(DashboardSettingsValidator.Exposed(exposed));
        }
    }
}
