using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace UpsAgent.Benchmarks;

/// <summary>
/// One closed-loop client connection keeping <c>depth</c> identical GET VAR requests in flight: every reply
/// line that arrives is timed against its request's send stamp and immediately replaced by a new request.
/// Requests are pre-encoded bytes; replies are only scanned for '\n' (and checked to start with "VAR").
/// </summary>
public sealed class LoadConnection : IDisposable
{
    private readonly Socket _socket;
    private readonly byte[] _requests;
    private readonly int _requestLength;
    private readonly int _depth;
    private readonly long[] _sentAt;
    private readonly byte[] _receive = new byte[64 * 1024];
    private int _head;
    private int _tail;
    private bool _atLineStart = true;

    private LoadConnection(Socket socket, string request, int depth)
    {
        _socket = socket;
        var one = Encoding.ASCII.GetBytes(request + "\n");
        _requestLength = one.Length;
        _requests = new byte[one.Length * depth];
        for (var i = 0; i < depth; i++)
        {
            one.CopyTo(_requests, i * one.Length);
        }
        _depth = depth;
        _sentAt = new long[depth];
    }

    public LatencyHistogram Latency { get; } = new();

    /// <summary>Replies received before the end of the measured window.</summary>
    public long Completed { get; private set; }

    /// <summary>Every reply received, including the drain after the window (for CPU per request).</summary>
    public long Received { get; private set; }

    /// <summary>Reply lines that were not <c>VAR ...</c>, plus an early close.</summary>
    public long Errors { get; private set; }

    public static async Task<LoadConnection> ConnectAsync(int port, string request, int depth)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port)).ConfigureAwait(false);
        return new LoadConnection(socket, request, depth);
    }

    /// <summary>Runs until <paramref name="stopAt"/> (a Stopwatch timestamp), then drains what is in flight.</summary>
    public async Task RunAsync(long stopAt, CancellationToken abort)
    {
        var now = Stopwatch.GetTimestamp();
        for (var i = 0; i < _depth; i++)
        {
            _sentAt[i] = now;
        }
        _head = 0;
        _tail = 0;
        await _socket.SendAsync(_requests.AsMemory(0, _requestLength * _depth), SocketFlags.None, abort).ConfigureAwait(false);
        var outstanding = _depth;

        while (outstanding > 0)
        {
            var read = await _socket.ReceiveAsync(_receive.AsMemory(), SocketFlags.None, abort).ConfigureAwait(false);
            if (read == 0)
            {
                Errors++;
                return;
            }
            now = Stopwatch.GetTimestamp();
            var replies = CountReplies(_receive.AsSpan(0, read), now, now < stopAt);
            outstanding -= replies;
            Received += replies;
            if (now >= stopAt || replies == 0)
            {
                continue;
            }
            for (var i = 0; i < replies; i++)
            {
                _sentAt[_head] = now;
                _head = (_head + 1) % _depth;
            }
            await _socket.SendAsync(_requests.AsMemory(0, _requestLength * replies), SocketFlags.None, abort).ConfigureAwait(false);
            outstanding += replies;
        }
    }

    public void Dispose() => _socket.Dispose();

    private int CountReplies(ReadOnlySpan<byte> data, long now, bool measured)
    {
        var replies = 0;
        while (!data.IsEmpty)
        {
            if (_atLineStart && data[0] != (byte)'V')
            {
                Errors++;
            }
            var newline = data.IndexOf((byte)'\n');
            if (newline < 0)
            {
                _atLineStart = false;
                break;
            }
            replies++;
            if (measured)
            {
                Latency.Record(now - _sentAt[_tail]);
                Completed++;
            }
            _tail = (_tail + 1) % _depth;
            _atLineStart = true;
            data = data[(newline + 1)..];
        }
        return replies;
    }
}
