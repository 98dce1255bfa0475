using UpsAgent.Core.Timing;

namespace UpsAgent.TestKit.Timing;

/// <summary>A clock that only moves when a test advances it; pending delays complete in due order.</summary>
public sealed class FakeClock : IClock
{
    private readonly object _gate = new();
    private readonly List<(TimeSpan Due, TaskCompletionSource Done)> _pending = [];
    private TimeSpan _elapsed;
    private DateTimeOffset _start;

    public FakeClock(DateTimeOffset? start = null) =>
        _start = start ?? new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public DateTimeOffset UtcNow
    {
        get { lock (_gate) { return _start + _elapsed; } }
    }

    public TimeSpan Elapsed
    {
        get { lock (_gate) { return _elapsed; } }
    }

    public int PendingDelays
    {
        get { lock (_gate) { return _pending.Count; } }
    }

    public Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        if (delay <= TimeSpan.Zero)
        {
            return Task.CompletedTask;
        }

        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _pending.Add((_elapsed + delay, done));
        }

        cancellationToken.Register(() =>
        {
            lock (_gate)
            {
                _pending.RemoveAll(p => p.Done == done);
            }

            done.TrySetCanceled(cancellationToken);
        });
        return done.Task;
    }

    /// <summary>Moves time forward, completing every delay that falls due, earliest first.</summary>
    public void Advance(TimeSpan by)
    {
        TimeSpan target;
        lock (_gate)
        {
            target = _elapsed + by;
        }

        while (true)
        {
            TaskCompletionSource? next = null;
            lock (_gate)
            {
                _pending.Sort((a, b) => a.Due.CompareTo(b.Due));
                if (_pending.Count > 0 && _pending[0].Due <= target)
                {
                    _elapsed = _pending[0].Due;
                    next = _pending[0].Done;
                    _pending.RemoveAt(0);
                }
                else
                {
                    _elapsed = target;
                }
            }

            if (next is null)
            {
                return;
            }

            next.TrySetResult();
        }
    }

    public void SetWallClock(DateTimeOffset now)
    {
        lock (_gate)
        {
            _start = now - _elapsed;
        }
    }
}
