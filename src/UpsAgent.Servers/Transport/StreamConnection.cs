using System.IO.Pipelines;
using System.Net;
using System.Net.Security;

namespace UpsAgent.Servers.Transport;

/// <summary>
/// A connection over any duplex stream (a socket's NetworkStream in production), with pipes on top
/// and STARTTLS done by layering an <see cref="SslStream"/> over the same stream.
/// </summary>
public sealed class StreamConnection : IConnection
{
    private const int MinimumBufferSize = 4096;
    private readonly Stream _inner;
    private readonly IDisposable? _owned;
    private SslStream? _tls;
    private DuplexPipe _transport;
    private int _disposed;

    /// <param name="owned">Disposed with the connection after the stream (the socket, for instance).</param>
    public StreamConnection(Stream stream, EndPoint? remoteEndPoint, IDisposable? owned = null)
    {
        _inner = stream;
        _owned = owned;
        RemoteEndPoint = remoteEndPoint;
        _transport = CreatePipes(stream);
    }

    public IDuplexPipe Transport => _transport;

    public EndPoint? RemoteEndPoint { get; }

    public bool IsTls => _tls is not null;

    public async ValueTask UpgradeToTlsAsync(SslServerAuthenticationOptions options, CancellationToken cancellationToken)
    {
        if (_tls is not null)
        {
            throw new InvalidOperationException("The connection already runs TLS.");
        }

        // The old pipes leave the stream open; anything they buffered beyond STARTTLS is dropped,
        // as the client must wait for "OK STARTTLS" before starting the handshake.
        await _transport.Input.CompleteAsync().ConfigureAwait(false);
        await _transport.Output.CompleteAsync().ConfigureAwait(false);
        var tls = new SslStream(_inner, leaveInnerStreamOpen: true);
        _tls = tls;
        _transport = CreatePipes(tls);
        await tls.AuthenticateAsServerAsync(options, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _transport.Input.CompleteAsync().ConfigureAwait(false);
        try
        {
            await _transport.Output.CompleteAsync().ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The peer is gone; nothing left to deliver.
        }
        catch (ObjectDisposedException)
        {
        }

        if (_tls is not null)
        {
            await _tls.DisposeAsync().ConfigureAwait(false);
        }

        await _inner.DisposeAsync().ConfigureAwait(false);
        _owned?.Dispose();
    }

    private static DuplexPipe CreatePipes(Stream stream) => new(
        PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: MinimumBufferSize, minimumReadSize: 1024, leaveOpen: true)),
        PipeWriter.Create(stream, new StreamPipeWriterOptions(minimumBufferSize: MinimumBufferSize, leaveOpen: true)));
}
