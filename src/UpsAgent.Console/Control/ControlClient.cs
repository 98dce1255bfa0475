using System.Net.Sockets;
using System.Text;

namespace UpsAgent.Console.Control;

/// <summary>The REPL's side of the control socket: sends command lines to a running agent.</summary>
public sealed class ControlClient : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly StreamReader _reader;
    private readonly StreamWriter _writer;

    private ControlClient(Socket socket)
    {
        _socket = socket;
        var stream = new NetworkStream(socket, ownsSocket: true);
        _reader = new StreamReader(stream, Encoding.UTF8);
        _writer = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\n", AutoFlush = true };
    }

    public static bool IsAgentListening(string path)
    {
        try
        {
            using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            probe.Connect(new UnixDomainSocketEndPoint(path));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Connects to a running agent, or returns null when none listens on <paramref name="path"/>.</summary>
    public static ControlClient? TryConnect(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(path));
            return new ControlClient(socket);
        }
        catch (SocketException)
        {
            socket.Dispose();
            return null;
        }
    }

    public async Task<int> ExecuteAsync(string line, TextWriter output, CancellationToken cancellationToken)
    {
        if (line.Contains('\n'))
        {
            throw new ArgumentException("a command is one line", nameof(line));
        }

        await _writer.WriteLineAsync(line.AsMemory(), cancellationToken).ConfigureAwait(false);
        while (true)
        {
            string? reply = await _reader.ReadLineAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new IOException("the agent closed the control connection");
            if (ControlFraming.TryParseEnd(reply, out int code))
            {
                return code;
            }

            await output.WriteLineAsync(reply).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync().ConfigureAwait(false);
        _reader.Dispose();
        _socket.Dispose();
    }
}
