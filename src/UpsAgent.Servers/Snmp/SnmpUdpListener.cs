using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace UpsAgent.Servers.Snmp;

/// <summary>
/// One UDP socket moving datagrams to the agent and its answers back; bytes only. One receive loop
/// per socket with one pair of buffers, so the steady state allocates nothing per datagram here.
/// </summary>
public sealed class SnmpUdpListener : IAsyncDisposable
{
    /// <summary>The largest UDP payload over IPv4 (65,535 minus IP and UDP headers).</summary>
    private const int MaxDatagram = 65_507;

    private readonly Socket _socket;
    private readonly SnmpAgent _agent;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    public SnmpUdpListener(IPEndPoint endpoint, SnmpAgent agent, ILogger logger)
    {
        _agent = agent;
        _logger = logger;
        _socket = new Socket(endpoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            _socket.Bind(endpoint);
        }
        catch
        {
            _socket.Dispose();
            throw;
        }

        BoundEndpoint = (IPEndPoint)_socket.LocalEndPoint!;
    }

    public IPEndPoint BoundEndpoint { get; }

    public void Start() => _loop = Task.Run(() => ReceiveLoopAsync(_stop.Token));

    private async Task ReceiveLoopAsync(CancellationToken stop)
    {
        byte[] request = new byte[MaxDatagram];
        byte[] response = new byte[MaxDatagram];
        var remote = new SocketAddress(_socket.AddressFamily);
        var lastRemote = new SocketAddress(_socket.AddressFamily);
        IPAddress source = IPAddress.None;
        var template = new IPEndPoint(_socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (!stop.IsCancellationRequested)
        {
            int received;
            try
            {
                received = await _socket.ReceiveFromAsync(request, SocketFlags.None, remote, stop).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                SnmpServerLog.ReceiveFailed(_logger, BoundEndpoint.ToString(), e);
                continue;
            }

            if (!remote.Equals(lastRemote))
            {
                // Only a new peer costs an address object; a client asking again reuses the last one.
                source = ((IPEndPoint)template.Create(remote)).Address;
                remote.Buffer.Span.CopyTo(lastRemote.Buffer.Span);
                lastRemote.Size = remote.Size;
            }

            int length;
            try
            {
                length = _agent.Handle(request.AsSpan(0, received), response, source);
            }
            catch (Exception e)
            {
                // A bug, not the client's doing: log it, drop the datagram, keep serving.
                SnmpServerLog.HandlerFailed(_logger, remote.ToString(), e);
                continue;
            }

            if (length == 0)
            {
                continue;
            }

            try
            {
                await _socket.SendToAsync(response.AsMemory(0, length), SocketFlags.None, remote, stop).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                SnmpServerLog.ReceiveFailed(_logger, BoundEndpoint.ToString(), e);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _socket.Dispose();
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }
}
