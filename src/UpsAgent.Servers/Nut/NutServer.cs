using System.Net;
using Microsoft.Extensions.Logging;
using UpsAgent.Core.Commands;
using UpsAgent.Core.Timing;
using UpsAgent.Servers.Transport;

namespace UpsAgent.Servers.Nut;

/// <summary>
/// The NUT-compatible server (upsd's network side): TCP listeners plus one
/// <see cref="NutSession"/> per client over shared state (logins, tracking). Sessions can also be
/// run over any <see cref="IConnection"/> with <see cref="ServeAsync"/>, which is how tests drive it.
/// </summary>
public sealed class NutServer : IAsyncDisposable
{
    private readonly NutServerOptions _options;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationToken _stoppingToken;
    private readonly NutServerContext _context;
    private TcpConnectionListener? _listener;
    private int _stopped;

    public NutServer(NutServerOptions options, UpsRegistry registry, NutUserTable users, IClock clock, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxConnections, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.IdleTimeout, TimeSpan.Zero);
        _options = options;
        _logger = logger;
        _stoppingToken = _stopping.Token;
        _context = new NutServerContext(options, registry, users, clock, logger, _stoppingToken);
    }

    /// <summary>The endpoints actually bound, with real ports where port 0 was asked; empty before start.</summary>
    public IReadOnlyList<IPEndPoint> BoundEndpoints => _listener?.BoundEndpoints ?? [];

    /// <summary>Binds all listen endpoints (throws if one cannot be bound) and starts accepting.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_listener is not null)
        {
            throw new InvalidOperationException("The NUT server is already started.");
        }

        ObjectDisposedException.ThrowIf(Volatile.Read(ref _stopped) != 0, this);
        var listener = new TcpConnectionListener(_options.Listen, _options.MaxConnections, ServeAsync, _logger, _options.SocketLoops);
        listener.Start();
        _listener = listener;
        return Task.CompletedTask;
    }

    /// <summary>Runs one client session to its end; never throws for anything the client does.</summary>
    public async Task ServeAsync(IConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stoppingToken);
        var session = new NutSession(connection, _context);
        await session.RunAsync(linked.Token).ConfigureAwait(false);
    }

    /// <summary>Stops listening and closes every session.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_listener is not null)
        {
            await _listener.StopAsync().ConfigureAwait(false);
        }
    }

    public NutServerStatus GetStatus() => new(
        Listening: _listener is not null && Volatile.Read(ref _stopped) == 0,
        Endpoints: BoundEndpoints,
        OpenConnections: _context.Board.OpenSessions,
        AcceptedConnections: _listener?.AcceptedConnections ?? 0,
        RejectedConnections: _listener?.RejectedConnections ?? 0,
        Requests: _context.Requests + _context.Board.ClientsSnapshot().Sum(c => c.Requests),
        LoginsPerUps: _context.Board.LoginsSnapshot(),
        Clients: _context.Board.ClientsSnapshot(),
        TrackingEntries: _context.Tracking.Count);

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        if (_listener is not null)
        {
            await _listener.DisposeAsync().ConfigureAwait(false);
        }

        _stopping.Dispose();
    }
}
