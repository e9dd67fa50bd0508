using System.Net;
using System.Net.Sockets;

namespace BotStateCluster.EndToEndTests;

/// <summary>TCP ports nobody listens on, so that fixtures never collide with each other or a dev cluster.</summary>
public static class FreePort
{
    /// <summary>A port the OS just handed out on loopback (bound, read, released).</summary>
    public static int Next()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    /// <summary><paramref name="count"/> distinct free ports.</summary>
    public static int[] Distinct(int count)
    {
        var ports = new HashSet<int>();
        while (ports.Count < count)
        {
            ports.Add(Next());
        }

        return [.. ports];
    }
}
