using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using UpsAgent.Servers.Transport.Epoll;

namespace UpsAgent.Servers.Transport;

/// <summary>
/// Accepts TCP clients on a set of endpoints and hands each to a session callback; moves no
/// protocol bytes itself. Beyond <c>maxConnections</c> open clients a new one is accepted and
/// closed at once (and counted), so a flood cannot starve the clients already served. Accepted
/// sockets are served by a few epoll loops of ours (<c>eventLoops</c>; 0 leaves them to the
/// runtime's socket engine).
/// </summary>
public sealed class TcpConnectionListener : IAsyncDisposable
{
    private readonly IReadOnlyList<IPEndPoint> _endpoints;
    private readonly int _maxConnections;
    private readonly Func<IConnection, CancellationToken, Task> _serve;
    private readonly ILogger _logger;
    private readonly int _eventLoops;
    private EpollLoopGroup? _loops;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Socket> _listeners = [];
    private readonly List<Task> _acceptLoops = [];
    private readonly ConcurrentDictionary<long, Task> _sessions = new();
    private long _nextSessionId;
    private int _open;
    private long _accepted;
    private long _rejected;
    private int _stopped;

    public TcpConnectionListener(
        IReadOnlyList<IPEndPoint> endpoints,
        int maxConnections,
        Func<IConnection, CancellationToken, Task> serve,
        ILogger logger,
        int eventLoops = -1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConnections, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(eventLoops, -1);
        if (endpoints.Count == 0)
        {
            throw new ArgumentException("At least one endpoint to listen on is needed.", nameof(endpoints));
        }

        _endpoints = endpoints;
        _maxConnections = maxConnections;
        _serve = serve;
        _logger = logger;
        _eventLoops = eventLoops >= 0 ? eventLoops : DefaultEventLoops;
    }

    // One loop per core, as far as a small agent sensibly goes; one client keeps to one loop.
    private static int DefaultEventLoops => Math.Clamp(Environment.ProcessorCount, 1, 4);

    /// <summary>The endpoints actually bound (with the real port where port 0 was asked).</summary>
    public IReadOnlyList<IPEndPoint> BoundEndpoints { get; private set; } = [];

    public int OpenConnections => Volatile.Read(ref _open);

    public long AcceptedConnections => Interlocked.Read(ref _accepted);

    public long RejectedConnections => Interlocked.Read(ref _rejected);

    /// <summary>Binds every endpoint (throwing if one cannot be bound) and starts accepting.</summary>
    public void Start()
    {
        var bound = new List<IPEndPoint>();
        try
        {
            foreach (IPEndPoint endpoint in _endpoints)
            {
                var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                _listeners.Add(socket);
                if (endpoint.AddressFamily == AddressFamily.InterNetworkV6 && endpoint.Address.Equals(IPAddress.IPv6Any))
                {
                    socket.DualMode = true;
                }

                // No ReuseAddress: on Linux .NET maps it to SO_REUSEPORT too, which would let a second
                // server share the port silently instead of failing to start.
                socket.Bind(endpoint);
                socket.Listen(512);
                bound.Add((IPEndPoint)socket.LocalEndPoint!);
            }
        }
        catch
        {
            foreach (Socket socket in _listeners)
            {
                socket.Dispose();
            }

            _listeners.Clear();
            throw;
        }

        BoundEndpoints = bound;
        if (_eventLoops > 0)
        {
            _loops = new EpollLoopGroup(_eventLoops, "upsagent socket loop", ex => TransportLog.LoopFailed(_logger, ex));
        }

        foreach (Socket socket in _listeners)
        {
            _acceptLoops.Add(Task.Run(() => AcceptLoopAsync(socket)));
        }
    }

    /// <summary>Stops accepting, cancels every session and waits for them to end.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (Socket socket in _listeners)
        {
            socket.Dispose();
        }

        await Task.WhenAll(_acceptLoops).ConfigureAwait(false);
        Task all = Task.WhenAll(_sessions.Values);
        await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(5))).ConfigureAwait(false);

        // A session still running keeps its loop: closing the loop under it would be worse than a
        // thread left behind at exit.
        if (all.IsCompleted)
        {
            _loops?.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync(Socket listener)
    {
        CancellationToken stopping = _stopping.Token;
        while (!stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex)
            {
                // Out of descriptors and the like: keep the listener alive and try again shortly.
                TransportLog.AcceptFailed(_logger, ex.SocketErrorCode, ex);
                await DelayQuietly(TimeSpan.FromMilliseconds(100), stopping).ConfigureAwait(false);
                continue;
            }

            Interlocked.Increment(ref _accepted);
            if (Interlocked.Increment(ref _open) > _maxConnections)
            {
                Interlocked.Decrement(ref _open);
                Interlocked.Increment(ref _rejected);
                TransportLog.ConnectionRejected(_logger, client.RemoteEndPoint, _maxConnections);
                client.Dispose();
                continue;
            }

            long id = Interlocked.Increment(ref _nextSessionId);
            Task session = RunSessionAsync(id, client, stopping);
            _sessions[id] = session;
            if (session.IsCompleted)
            {
                _sessions.TryRemove(id, out _);
            }
        }
    }

    private async Task RunSessionAsync(long id, Socket socket, CancellationToken stopping)
    {
        await Task.Yield();
        try
        {
            socket.NoDelay = true;
            var connection = _loops is { } loops
                ? new SocketConnection(socket, new EpollChannel(socket, loops.Next()))
                : new SocketConnection(socket);
            await using (connection.ConfigureAwait(false))
            {
                await _serve(connection, stopping).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            // Sessions catch their own failures; this is the last line so the server never dies.
            TransportLog.SessionFailed(_logger, ex);
        }
        finally
        {
            Interlocked.Decrement(ref _open);
            _sessions.TryRemove(id, out _);
        }
    }

    private static async Task DelayQuietly(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
