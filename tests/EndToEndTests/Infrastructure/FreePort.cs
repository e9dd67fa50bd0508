using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace BotStateCluster.EndToEndTests;

/// <summary>TCP ports nobody listens on, so that fixtures never collide with each other or a dev cluster.</summary>
public static class FreePort
{
    // A port is only free until its process binds it, a second or so later, and the OS draws bind(0) ports at random
    // from a few thousand: two fixtures starting together could be handed the same one. None is handed out twice.
    private static readonly ConcurrentDictionary<int, byte> Issued = new();

    /// <summary>A port the OS just handed out on loopback (bound, read, released), never one handed out before.</summary>
    public static int Next()
    {
        while (true)
        {
            var port = Unused();
            if (Issued.TryAdd(port, 0))
            {
                return port;
            }
        }
    }

    /// <summary><paramref name="count"/> distinct free ports.</summary>
    public static int[] Distinct(int count) => [.. Enumerable.Range(0, count).Select(_ => Next())];

    private static int Unused()
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
}
