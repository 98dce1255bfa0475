using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using UpsAgent.Servers.Transport;

namespace UpsAgent.TestKit.Transport;

/// <summary>
/// The server end of an in-memory connection: two pipes, no sockets. STARTTLS runs a real TLS
/// handshake over the same pipes, so sessions are tested exactly as they run over TCP.
/// </summary>
public sealed class InMemoryConnection : IConnection
{
    private readonly PipeReader _rawInput;
    private readonly PipeWriter _rawOutput;
    private DuplexPipeStream? _rawStream;
    private SslStream? _tls;
    private IDuplexPipe _transport;
    private int _disposed;

    private InMemoryConnection(PipeReader input, PipeWriter output, EndPoint remote)
    {
        _rawInput = input;
        _rawOutput = output;
        _transport = new DuplexPipe(input, output);
        RemoteEndPoint = remote;
    }

    public IDuplexPipe Transport => _transport;

    public EndPoint? RemoteEndPoint { get; }

    public bool IsTls => _tls is not null;

    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <param name="remote">What the server sees as the client's address (default 127.0.0.1).</param>
    /// <param name="sendsWaitForServer">
    /// When true, a client send completes only once the server has consumed the bytes: lets a test
    /// control which bytes the server sees in one read.
    /// </param>
    public static (InMemoryConnection Server, InMemoryClient Client) CreatePair(IPEndPoint? remote = null, bool sendsWaitForServer = false)
    {
        var toServer = new Pipe(sendsWaitForServer
            ? new PipeOptions(pauseWriterThreshold: 1, resumeWriterThreshold: 1, useSynchronizationContext: false)
            : new PipeOptions(useSynchronizationContext: false));
        var toClient = new Pipe(new PipeOptions(useSynchronizationContext: false));
        var server = new InMemoryConnection(toServer.Reader, toClient.Writer, remote ?? new IPEndPoint(IPAddress.Loopback, 40000));
        var client = new InMemoryClient(toClient.Reader, toServer.Writer);
        return (server, client);
    }

    public async ValueTask UpgradeToTlsAsync(SslServerAuthenticationOptions options, CancellationToken cancellationToken)
    {
        _rawStream = new DuplexPipeStream(_rawInput, _rawOutput);
        var tls = new SslStream(_rawStream, leaveInnerStreamOpen: true);
        _tls = tls;
        _transport = new DuplexPipe(
            PipeReader.Create(tls, new StreamPipeReaderOptions(leaveOpen: true)),
            PipeWriter.Create(tls, new StreamPipeWriterOptions(leaveOpen: true)));
        await tls.AuthenticateAsServerAsync(options, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (_tls is not null)
        {
            await _transport.Input.CompleteAsync().ConfigureAwait(false);
            try
            {
                await _transport.Output.CompleteAsync().ConfigureAwait(false);
            }
            catch (IOException)
            {
            }

            await _tls.DisposeAsync().ConfigureAwait(false);
        }

        await _rawInput.CompleteAsync().ConfigureAwait(false);
        await _rawOutput.CompleteAsync().ConfigureAwait(false);
    }
}
