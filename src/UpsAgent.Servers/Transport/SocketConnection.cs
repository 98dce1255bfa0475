using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.IO.Pipelines;

namespace UpsAgent.Servers.Transport;

/// <summary>
/// A TCP client with pipes directly over its socket (through an epoll loop of ours, or the runtime's
/// socket engine); STARTTLS switches to an SslStream over a NetworkStream on the same socket.
/// </summary>
public sealed class SocketConnection : IConnection
{
    private readonly Socket _socket;
    private readonly IStreamChannel _channel;
    private IDuplexPipe _transport;
    private StreamConnection? _tls;
    private int _disposed;

    public SocketConnection(Socket socket)
        : this(socket, new SocketChannel(socket))
    {
    }

    internal SocketConnection(Socket socket, IStreamChannel channel)
    {
        _socket = socket;
        _channel = channel;
        RemoteEndPoint = socket.RemoteEndPoint;
        _transport = new DuplexPipe(new SocketPipeReader(channel), new SocketPipeWriter(channel));
    }

    public IDuplexPipe Transport => _tls?.Transport ?? _transport;

    public EndPoint? RemoteEndPoint { get; }

    /// <summary>The socket's channel while it carries plain bytes (before STARTTLS), for sessions that read it directly.</summary>
    internal IStreamChannel? PlainChannel => _tls is null ? _channel : null;

    public bool IsTls => _tls is not null;

    public async ValueTask UpgradeToTlsAsync(SslServerAuthenticationOptions options, CancellationToken cancellationToken)
    {
        if (_tls is not null)
        {
            throw new InvalidOperationException("The connection already runs TLS.");
        }

        // Bytes the plain reader buffered beyond STARTTLS are dropped: the client must wait for
        // "OK STARTTLS" before it starts the handshake.
        await _transport.Input.CompleteAsync().ConfigureAwait(false);
        await _transport.Output.CompleteAsync().ConfigureAwait(false);
        _channel.Dispose();
        var tls = new StreamConnection(new NetworkStream(_socket, ownsSocket: false), RemoteEndPoint);
        _tls = tls;
        await tls.UpgradeToTlsAsync(options, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (_tls is not null)
        {
            await _tls.DisposeAsync().ConfigureAwait(false);
        }
        else
        {
            await _transport.Input.CompleteAsync().ConfigureAwait(false);
            await _transport.Output.CompleteAsync().ConfigureAwait(false);
        }

        _channel.Dispose();
        _socket.Dispose();
    }
}
