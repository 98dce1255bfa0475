using System.Net;
using System.Net.Sockets;
using System.Text;

namespace UpsAgent.TestKit.Peers;

/// <summary>
/// A raw NUT protocol connection: writes request lines exactly as given and reads reply lines, so tests
/// can replay transcripts byte for byte. Every read is bounded by a timeout.
/// </summary>
public sealed class NutLineClient : IAsyncDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[4096];
    private readonly StringBuilder _pending = new();
    private bool _eof;

    private NutLineClient(Socket socket) => _socket = socket;

    public static async Task<NutLineClient> ConnectAsync(int port, TimeSpan? timeout = null)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cts.Token).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return new NutLineClient(socket);
    }

    /// <summary>Sends text as is (add the newline yourself; several lines in one call go out in one write).</summary>
    public async Task SendRawAsync(string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        await _socket.SendAsync(bytes, SocketFlags.None).ConfigureAwait(false);
    }

    public Task SendLineAsync(string line) => SendRawAsync(line + "\n");

    /// <summary>The next reply line without its newline, or null once the server has closed the connection.</summary>
    public async Task<string?> ReadLineAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        while (true)
        {
            var text = _pending.ToString();
            var newline = text.IndexOf('\n', StringComparison.Ordinal);
            if (newline >= 0)
            {
                _pending.Remove(0, newline + 1);
                return text[..newline];
            }
            if (_eof)
            {
                return null;
            }
            int read;
            try
            {
                read = await _socket.ReceiveAsync(_buffer, SocketFlags.None, cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"no complete reply line within {timeout ?? DefaultTimeout}; partial: '{text}'");
            }
            catch (SocketException)
            {
                read = 0;
            }
            if (read == 0)
            {
                _eof = true;
                continue;
            }
            _pending.Append(Encoding.ASCII.GetString(_buffer, 0, read));
        }
    }

    /// <summary>Sends one request and returns its one-line reply ("(closed)" if the server hung up).</summary>
    public async Task<string> RequestAsync(string line, TimeSpan? timeout = null)
    {
        await SendLineAsync(line).ConfigureAwait(false);
        return await ReadLineAsync(timeout).ConfigureAwait(false) ?? "(closed)";
    }

    /// <summary>
    /// Sends a LIST request and returns every reply line up to and including <c>END LIST ...</c>,
    /// or the single ERR line.
    /// </summary>
    public async Task<IReadOnlyList<string>> RequestListAsync(string line, TimeSpan? timeout = null)
    {
        await SendLineAsync(line).ConfigureAwait(false);
        var lines = new List<string>();
        while (true)
        {
            var reply = await ReadLineAsync(timeout).ConfigureAwait(false);
            if (reply is null)
            {
                lines.Add("(closed)");
                return lines;
            }
            lines.Add(reply);
            if (reply.StartsWith("END LIST", StringComparison.Ordinal) || (lines.Count == 1 && reply.StartsWith("ERR", StringComparison.Ordinal)))
            {
                return lines;
            }
        }
    }

    /// <summary>True if the server closes the connection (EOF with no further data) within the timeout.</summary>
    public async Task<bool> WaitForCloseAsync(TimeSpan timeout)
    {
        try
        {
            return await ReadLineAsync(timeout).ConfigureAwait(false) is null;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
