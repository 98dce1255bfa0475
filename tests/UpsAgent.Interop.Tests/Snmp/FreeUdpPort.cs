using System.Net;
using System.Net.Sockets;

namespace UpsAgent.Interop.Tests.Snmp;

/// <summary>A loopback UDP port the kernel just handed out; the caller retries if it is taken in between.</summary>
public static class FreeUdpPort
{
    public static int Next()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
