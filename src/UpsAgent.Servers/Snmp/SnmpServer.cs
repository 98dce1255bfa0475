using System.Net;
using Microsoft.Extensions.Logging;
using UpsAgent.Core.Commands;
using UpsAgent.Core.State;
using UpsAgent.Core.Timing;

namespace UpsAgent.Servers.Snmp;

/// <summary>
/// The SNMP agent: UDP listeners in front of one <see cref="SnmpAgent"/> serving UPS-MIB for one
/// UPS, a follower of that UPS's change feed so alarm rows are stamped when the state changes, and
/// the notifier that turns those changes into traps and informs.
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
        _logger = logger;
        _unit = (options.Ups is null ? registry.All.FirstOrDefault() : registry.Find(options.Ups))
            ?? throw new ArgumentException(options.Ups is null ? "SNMP needs a UPS to describe; none is configured" : $"SNMP: no UPS named '{options.Ups}'", nameof(options));
        _options = options = WithEngineState(options, logger);
        View = new UpsMibView(_unit, options, new SnmpCounters(), clock);
        Agent = new SnmpAgent(View, options);
        Notifier = options.TrapReceivers.Count > 0 ? new SnmpNotifier(options, View, clock, logger) : null;
    }

    public SnmpAgent Agent { get; }

    public UpsMibView View { get; }

    /// <summary>Null when no trap receiver is configured.</summary>
    public SnmpNotifier? Notifier { get; }

    /// <summary>The options the agent runs with, engine ID and boots included.</summary>
    public SnmpAgentOptions Options => _options;

    public IReadOnlyList<IPEndPoint> BoundEndpoints => _listeners.Select(l => l.BoundEndpoint).ToList();

    /// <summary>snmpEngineBoots from the state file, one more than last time; the engine runs on without it if the file cannot be used.</summary>
    private static SnmpAgentOptions WithEngineState(SnmpAgentOptions options, ILogger logger)
    {
        if (options.EngineStateFile is not { } path)
        {
            return options;
        }

        try
        {
            (byte[] engineId, int boots) = SnmpEngineIdentity.LoadAndIncrement(path, options.EngineIdConfigured ? options.EngineId : null);
            return options with { EngineId = engineId, EngineBoots = boots };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            SnmpNotifierLog.EngineStateUnavailable(logger, path, e.Message, options.EngineBoots);
            return options;
        }
    }

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

        UpsState current = _unit.Current;
        View.Refresh(current);
        Notifier?.Observe(View.Alarms.Rows, current);
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
                        Notifier?.Observe(View.Alarms.Rows, state);
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
        if (Notifier is not null)
        {
            await Notifier.DisposeAsync().ConfigureAwait(false);
        }

        _stop.Dispose();
    }
}
