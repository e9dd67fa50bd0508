using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace BotStateCluster.ServiceDefaults;

/// <summary>How the processes find each other (environment: <c>ORLEANS_*</c>, <c>CLUSTERING</c>, ports, addresses).</summary>
public sealed class ClusterSettings
{
    /// <summary>Membership in the process: one silo on this machine, clients on loopback.</summary>
    public const string Localhost = "localhost";

    /// <summary>Membership in the database's ADO.NET clustering tables (PostgreSQL).</summary>
    public const string AdoNet = "adonet";

    /// <summary>The service, stable across deployments; keys the stored state.</summary>
    [ConfigurationKeyName("ORLEANS_SERVICE_ID")]
    public string ServiceId { get; set; } = "botstate";

    /// <summary>The cluster (one deployment of the service).</summary>
    [ConfigurationKeyName("ORLEANS_CLUSTER_ID")]
    public string ClusterId { get; set; } = "dev";

    /// <summary><c>localhost</c> or <c>adonet</c>; blank chooses by database.</summary>
    [ConfigurationKeyName("CLUSTERING")]
    public string? Clustering { get; set; }

    /// <summary>Silo-to-silo port.</summary>
    [ConfigurationKeyName("SILO_PORT")]
    public int SiloPort { get; set; } = 11111;

    /// <summary>Port clients connect to.</summary>
    [ConfigurationKeyName("GATEWAY_PORT")]
    public int GatewayPort { get; set; } = 30000;

    /// <summary>The address this silo advertises.</summary>
    [ConfigurationKeyName("ADVERTISED_IP")]
    public string? AdvertisedIp { get; set; }

    /// <summary>The pod's address from the Kubernetes downward API, used when <c>ADVERTISED_IP</c> is unset.</summary>
    [ConfigurationKeyName("POD_IP")]
    public string? PodIp { get; set; }

    /// <summary>The membership mode in force for a database backend.</summary>
    public string ClusteringFor(DatabaseKind kind) =>
        string.IsNullOrWhiteSpace(Clustering)
            ? kind == DatabaseKind.PostgreSql ? AdoNet : Localhost
            : Clustering.Trim().ToLowerInvariant();

    /// <summary>
    /// The address to advertise: <c>ADVERTISED_IP</c>, else <c>POD_IP</c>, else loopback for localhost
    /// clustering, else the first non-loopback IPv4 address of this machine (a container's own).
    /// </summary>
    public IPAddress AdvertisedAddress(string clustering)
    {
        var configured = string.IsNullOrWhiteSpace(AdvertisedIp) ? PodIp : AdvertisedIp;
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return IPAddress.Parse(configured.Trim());
        }

        if (clustering == Localhost)
        {
            return IPAddress.Loopback;
        }

        return NetworkInterface.GetAllNetworkInterfaces()
            .Where(nic => nic.OperationalStatus == OperationalStatus.Up && nic.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(nic => nic.GetIPProperties().UnicastAddresses)
            .Select(address => address.Address)
            .FirstOrDefault(address => address.AddressFamily == AddressFamily.InterNetwork)
            ?? IPAddress.Loopback;
    }
}

internal sealed class ClusterSettingsValidator : IValidateOptions<ClusterSettings>
{
    public ValidateOptionsResult Validate(string? name, ClusterSettings settings)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(settings.ServiceId))
        {
            failures.Add("ORLEANS_SERVICE_ID must not be empty.");
        }

        if (string.IsNullOrWhiteSpace(settings.ClusterId))
        {
            failures.Add("ORLEANS_CLUSTER_ID must not be empty.");
        }

        if (settings.SiloPort is < 1 or > 65535)
        {
            failures.Add($"SILO_PORT must be a TCP port (1-65535), not {settings.SiloPort}.");
        }

        if (settings.GatewayPort is < 1 or > 65535)
        {
            failures.Add($"GATEWAY_PORT must be a TCP port (1-65535), not {settings.GatewayPort}.");
        }

        if (settings.SiloPort == settings.GatewayPort)
        {
            failures.Add($"SILO_PORT and GATEWAY_PORT must differ (both are {settings.SiloPort}).");
        }

        foreach (var (variable, value) in new[] { ("ADVERTISED_IP", settings.AdvertisedIp), ("POD_IP", settings.PodIp) })
        {
            if (!string.IsNullOrWhiteSpace(value) && !IPAddress.TryParse(value.Trim(), out _))
            {
                failures.Add($"{variable} must be an IP address, not '{value}'.");
            }
        }

        if (!string.IsNullOrWhiteSpace(settings.Clustering) && settings.Clustering.Trim().ToLowerInvariant() is not (ClusterSettings.Localhost or ClusterSettings.AdoNet))
        {
            failures.Add($"CLUSTERING must be '{ClusterSettings.Localhost}' or '{ClusterSettings.AdoNet}', not '{settings.Clustering}'.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
