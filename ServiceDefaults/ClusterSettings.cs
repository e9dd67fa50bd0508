using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using BotStateCluster.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace BotStateCluster.ServiceDefaults;

/// <summary>
/// How the processes find each other: the client's view (<see cref="ClusterConnectionSettings"/>) plus
/// what only a silo needs (environment: <c>SILO_PORT</c>, <c>ADVERTISED_IP</c>, <c>POD_IP</c>).
/// </summary>
public sealed class ClusterSettings : ClusterConnectionSettings
{
    /// <summary>Silo-to-silo port.</summary>
    [ConfigurationKeyName("SILO_PORT")]
    public int SiloPort { get; set; } = 11111;

    /// <summary>The address this silo advertises.</summary>
    [ConfigurationKeyName("ADVERTISED_IP")]
    public string? AdvertisedIp { get; set; }

    /// <summary>The pod's address from the Kubernetes downward API, used when <c>ADVERTISED_IP</c> is unset.</summary>
    [ConfigurationKeyName("POD_IP")]
    public string? PodIp { get; set; }

    /// <summary>The membership mode in force for a database backend.</summary>
    public string ClusteringFor(DatabaseKind kind) => ClusteringFor(kind == DatabaseKind.PostgreSql);

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
        var failures = settings.Problems().ToList();
        if (settings.SiloPort is < 1 or > 65535)
        {
            failures.Add($"SILO_PORT must be a TCP port (1-65535), not {settings.SiloPort}.");
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

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
