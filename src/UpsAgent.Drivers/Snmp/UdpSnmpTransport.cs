using System.Net;
using System.Net.Sockets;

namespace UpsAgent.Drivers.Snmp;

/// <summary>
/// A UDP socket connected to one agent, so the kernel drops datagrams from anyone else and reports
/// an ICMP port-unreachable as a refused receive.
/// </summary>
public sealed class UdpSnmpTransport : ISnmpTransport
{
    private readonly Socket _socket;

    private UdpSnmpTransport(Socket socket, IPEndPoint remote)
    {
        _socket = socket;
        Remote = remote;
    }

    public IPEndPoint Remote { get; }

    public string Peer => Remote.ToString();

    /// <summary>Resolves <paramref name="host"/> (IPv4 first) and connects a socket to it.</summary>
    /// <exception cref="SocketException">The name does not resolve.</exception>
    public static async Task<UdpSnmpTransport> ConnectAsync(string host, int port, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65_535);
        IPAddress address;
        if (!IPAddress.TryParse(host.Trim('[', ']'), out IPAddress? literal))
        {
            IPAddress[] found = await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
            address = found.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
                ?? found.FirstOrDefault()
                ?? throw new SocketException((int)SocketError.HostNotFound);
        }
        else
        {
            address = literal;
        }

        var remote = new IPEndPoint(address, port);
        var socket = new Socket(remote.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            await socket.ConnectAsync(remote, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new UdpSnmpTransport(socket, remote);
    }

    public async ValueTask SendAsync(ReadOnlyMemory<byte> datagram, CancellationToken cancellationToken) =>
        await _socket.SendAsync(datagram, SocketFlags.None, cancellationToken).ConfigureAwait(false);

    public ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken) =>
        _socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
