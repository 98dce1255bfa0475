using UpsAgent.Core.Commands;
using UpsAgent.Core.State;
using UpsAgent.Shutdown.Execution;
using UpsAgent.Shutdown.Policy;

namespace UpsAgent.Shutdown.Monitoring;

/// <summary>
/// A UPS this agent drives itself: read straight from the state store and woken by its change
/// feed, so there is no polling delay. FSD latches the store; secondaries are the NUT server's
/// logins on this UPS.
/// </summary>
public sealed class LocalSupply : ISupplySource, IFsdChannel
{
    private readonly UpsUnit _unit;
    private readonly Func<string, int> _loginsOf;
    private TimeSpan _lastHeard;
    private long _seenVersion = -1;

    /// <param name="loginsOf">NUMLOGINS of a UPS on our NUT server (0 when it does not run).</param>
    public LocalSupply(UpsUnit unit, SupplySettings settings, Func<string, int> loginsOf)
    {
        _unit = unit;
        _loginsOf = loginsOf;
        Settings = settings;
    }

    public string Name => _unit.Name;

    public SupplySettings Settings { get; }

    public bool Reachable => _unit.Current.DataState == UpsDataState.Fresh;

    public event Action? Changed;

    public IFsdChannel FsdChannel => this;

    string IFsdChannel.Ups => _unit.Name;

    public SupplyReading Read(TimeSpan now)
    {
        UpsState state = _unit.Current;
        if (state.DataState == UpsDataState.Fresh)
        {
            _lastHeard = now;
        }

        bool everHeard = state.DataState == UpsDataState.Fresh || _seenVersion >= 0 || _lastHeard > TimeSpan.Zero;
        _seenVersion = state.Version;
        SupplyReading reading = SupplyReading.FromState(state, now);
        return reading with { LastHeard = state.DataState == UpsDataState.Fresh ? now : everHeard && _lastHeard > TimeSpan.Zero ? _lastHeard : null };
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using UpsStateSubscription subscription = _unit.Store.Subscribe();
        try
        {
            while (await subscription.Changes.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (subscription.Changes.TryRead(out _))
                {
                }

                Changed?.Invoke();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    public Task<bool> SetForcedShutdownAsync(CancellationToken cancellationToken)
    {
        _unit.Store.LatchForcedShutdown();
        return Task.FromResult(true);
    }

    public Task<int?> CountSecondariesAsync(CancellationToken cancellationToken) => Task.FromResult<int?>(_loginsOf(_unit.Name));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
