namespace UpsAgent.Drivers.Snmp;

/// <summary>
/// Datagrams to and from one SNMP agent; bytes only. UDP in the agent, an in-memory fake in tests.
/// </summary>
public interface ISnmpTransport : IAsyncDisposable
{
    /// <summary>Where the datagrams go, for messages ("192.0.2.10:161").</summary>
    string Peer { get; }

    ValueTask SendAsync(ReadOnlyMemory<byte> datagram, CancellationToken cancellationToken);

    /// <summary>Waits for the next datagram from the peer and returns its length.</summary>
    /// <exception cref="System.Net.Sockets.SocketException">The peer's host or port refused (ICMP unreachable).</exception>
    ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken);
}
