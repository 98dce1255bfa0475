using System.Net;
using System.Net.Sockets;

namespace UpsAgent.TestKit.Peers;

/// <summary>Picks a loopback port the kernel considers free right now.</summary>
public static class FreeTcpPort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
