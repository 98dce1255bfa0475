using System.Threading.Channels;
using UpsAgent.Core.Timing;

namespace UpsAgent.Core.State;

/// <summary>
/// Holds the current snapshot of one UPS and feeds changes to subscribers. Exactly one
/// <see cref="UpsStateWriter"/> (the UPS's driver) may change the data; readers only read
/// <see cref="Current"/> or subscribe. The FSD latch is the one piece owned by the server side.
/// </summary>
public sealed class UpsStateStore
{
    private readonly object _writeGate = new();
    private readonly List<UpsStateSubscription> _subscribers = [];
    private readonly IClock _clock;
    private UpsState _current;
    private int _writerTaken;

    public UpsStateStore(string name, string description, IClock clock)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _clock = clock;
        _current = new UpsState(name, description, [], [], UpsDataState.Waiting, false, 0, clock.UtcNow);
    }

    public string Name => _current.Name;

    /// <summary>The latest snapshot; a single volatile read, safe from any thread.</summary>
    public UpsState Current => Volatile.Read(ref _current);

    /// <summary>Hands out the single writer. A second call is a wiring bug.</summary>
    public UpsStateWriter CreateWriter()
    {
        if (Interlocked.Exchange(ref _writerTaken, 1) != 0)
        {
            throw new InvalidOperationException($"UPS '{Name}' already has a writer; one driver per UPS.");
        }

        return new UpsStateWriter(this);
    }

    /// <summary>Sets the FSD latch (upsd's FSD command, or local shutdown policy as primary).</summary>
    public void LatchForcedShutdown() =>
        Replace(s => s.ForcedShutdown ? null : With(s, forcedShutdown: true));

    /// <summary>
    /// Subscribes to every new snapshot. The feed keeps only the newest few snapshots for a slow
    /// reader; a reader can always fall back to <see cref="Current"/>, so nothing is ever lost.
    /// </summary>
    public UpsStateSubscription Subscribe(int capacity = 16)
    {
        var channel = Channel.CreateBounded<UpsState>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
            SingleWriter = true,
        });
        var subscription = new UpsStateSubscription(this, channel);
        lock (_writeGate)
        {
            _subscribers.Add(subscription);
        }

        return subscription;
    }

    internal void Unsubscribe(UpsStateSubscription subscription)
    {
        lock (_writeGate)
        {
            _subscribers.Remove(subscription);
        }
    }

    internal void Replace(Func<UpsState, UpsState?> change)
    {
        lock (_writeGate)
        {
            UpsState? next = change(_current);
            if (next is null)
            {
                return;
            }

            Volatile.Write(ref _current, next);
            foreach (UpsStateSubscription subscriber in _subscribers)
            {
                subscriber.Offer(next);
            }
        }
    }

    internal UpsState With(
        UpsState s,
        IEnumerable<UpsVariable>? variables = null,
        IEnumerable<string>? commands = null,
        UpsDataState? dataState = null,
        bool? forcedShutdown = null,
        string? description = null) =>
        new(
            s.Name,
            description ?? s.Description,
            variables ?? s.Variables,
            commands ?? s.Commands,
            dataState ?? s.DataState,
            forcedShutdown ?? s.ForcedShutdown,
            s.Version + 1,
            _clock.UtcNow);
}
