using Orleans.Dashboard;

namespace BotStateCluster.Silo.Dashboard;

/// <summary>The Orleans dashboard at <c>/dashboard</c> on the silo's HTTP listener, protected as configured.</summary>
internal static class DashboardSetup
{
    public static ISiloBuilder AddBotStateDashboard(this ISiloBuilder silo, DashboardSettings settings) =>
        settings.Enabled ? silo.AddDashboard() : silo;

    public static WebApplication MapBotStateDashboard(this WebApplication app, DashboardSettings settings)
    {
        if (!settings.Enabled)
        {
            return app;
        }

        var dashboard = app.MapOrleansDashboard(DashboardSettings.Path);
        if (settings.HasCredentials)
        {
            dashboard.AddEndpointFilter(new BasicAuthenticationFilter(settings.Username!, settings.Password!));
        }

        return app;
    }
}
