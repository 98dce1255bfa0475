using System.Net;
using Microsoft.Extensions.Logging;
using UpsAgent.Core.Commands;
using UpsAgent.Core.State;
using UpsAgent.Core.Timing;

namespace UpsAgent.Servers.Snmp;

/// <summary>
/// The SNMP agent: UDP listeners in front of one <see cref="SnmpAgent"/> serving UPS-MIB for one
/// UPS, and a follower of that UPS's change feed so alarm rows are stamped when the state changes.
/// </summary>
public sealed class SnmpServer : IAsyncDisposable
{
    private readonly SnmpAgentOptions _options;
    private readonly ILogger _logger;
    private readonly UpsUnit _unit;
    private readonly List<SnmpUdpListener> _listeners = [];
    private readonly CancellationTokenSource _stop = new();
    private Task _follow = Task.CompletedTask;
    private int _stopped;

    public SnmpServer(SnmpAgentOptions options, UpsRegistry registry, IClock clock, ILogger logger)
    {
        _options = options;
        _logger = logger;
        _unit = (options.Ups is null ? registry.All.FirstOrDefault() : registry.Find(options.Ups))
            ?? throw new ArgumentException(options.Ups is null ? "SNMP needs a UPS to describe; none is configured" : $"SNMP: no UPS named '{options.Ups}'", nameof(options));
        View = new UpsMibView(_unit, options, new SnmpCounters(), clock);
        Agent = new SnmpAgent(View, options);
    }

    public SnmpAgent Agent { get; }

    public UpsMibView View { get; }

    public IReadOnlyList<IPEndPoint> BoundEndpoints => _listeners.Select(l => l.BoundEndpoint).ToList();

    /// <summary>Binds every endpoint (throws if one is taken, having closed the others) and starts serving.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            foreach (IPEndPoint endpoint in _options.Listen)
            {
                _listeners.Add(new SnmpUdpListener(endpoint, Agent, _logger));
            }
        }
        catch
        {
            foreach (SnmpUdpListener listener in _listeners)
            {
                await listener.DisposeAsync().ConfigureAwait(false);
            }

            _listeners.Clear();
            throw;
        }

        View.Refresh(_unit.Current);
        _follow = FollowAsync(_unit.Store.Subscribe(), _stop.Token);
        foreach (SnmpUdpListener listener in _listeners)
        {
            listener.Start();
        }
    }

    private async Task FollowAsync(UpsStateSubscription subscription, CancellationToken stop)
    {
        using (subscription)
        {
            try
            {
                while (await subscription.Changes.WaitToReadAsync(stop).ConfigureAwait(false))
                {
                    while (subscription.Changes.TryRead(out UpsState? state))
                    {
                        View.Refresh(state);
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
            catch (Exception e)
            {
                SnmpServerLog.FollowFailed(_logger, _unit.Name, e);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        foreach (SnmpUdpListener listener in _listeners)
        {
            await listener.DisposeAsync().ConfigureAwait(false);
        }

        await _follow.ConfigureAwait(false);
        _stop.Dispose();
    }
}
