using System.Net;
using System.Net.Sockets;
using BotStateCluster.ServiceDefaults;

namespace BotStateCluster.Silo;

/// <summary>
/// Refuses to start a silo whose Orleans ports are taken. Orleans binds with SO_REUSEADDR, which .NET on Linux
/// turns into SO_REUSEPORT as well, so a second silo on the same port would start and share the first one's
/// connections (and, on different databases, split conversations between them) instead of failing.
/// </summary>
internal static class OrleansPorts
{
    /// <exception cref="StartupError">A port is in use on the address the silo listens on.</exception>
    public static void EnsureFree(ClusterSettings settings, DatabaseTarget database)
    {
        var address = settings.AdvertisedAddress(settings.ClusteringFor(database.Kind));
        foreach (var (variable, port) in new[] { ("SILO_PORT", settings.SiloPort), ("GATEWAY_PORT", settings.GatewayPort) })
        {
            // A plain listener does not ask for SO_REUSEPORT, so it fails where any other listener holds the port.
            var probe = new TcpListener(address, port);
            try
            {
                probe.Start();
            }
            catch (SocketException exception) when (exception.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                throw new StartupError($"{variable} {port} is already in use on {address}: another silo or program listens there.", exception);
            }
            catch (SocketException exception) when (exception.SocketErrorCode == SocketError.AddressNotAvailable)
            {
                throw new StartupError($"the silo cannot listen on {address}:{port} ({variable}): the address is not one of this machine's (ADVERTISED_IP / POD_IP).", exception);
            }
            finally
            {
                probe.Stop();
            }
        }
    }
}
