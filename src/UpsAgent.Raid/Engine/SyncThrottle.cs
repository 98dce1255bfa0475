namespace UpsAgent.Raid.Engine;

/// <summary>
/// Paces rebuild, resync and scrub as md's sync_speed_min/max do (KiB/s; md.c md_do_sync): never above
/// the maximum, and down to the minimum while foreground I/O is active. Pause holds the pass between
/// two units of work until Resume.
/// </summary>
public sealed class SyncThrottle
{
    /// <summary>md's default /proc/sys/dev/raid/speed_limit_min.</summary>
    public const long DefaultMinKibPerSecond = 1000;

    /// <summary>md's default /proc/sys/dev/raid/speed_limit_max.</summary>
    public const long DefaultMaxKibPerSecond = 200_000;

    /// <summary>Foreground I/O this recent counts as "not idle" (md looks at the last half second too).</summary>
    public static readonly TimeSpan ForegroundWindow = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest single wait, so a changed limit or a resume takes effect soon.</summary>
    public static readonly TimeSpan LongestWait = TimeSpan.FromMilliseconds(500);

    private readonly object _gate = new();
    private readonly TimeProvider _time;
    private readonly ManualResetEventSlim _running = new(initialState: true);
    private long _minKib = DefaultMinKibPerSecond;
    private long _maxKib = DefaultMaxKibPerSecond;
    private long _lastForeground = long.MinValue;
    private long _passStart;

    public SyncThrottle(TimeProvider time)
    {
        _time = time;
    }

    public long MinKibPerSecond
    {
        get { lock (_gate) { return _minKib; } }
    }

    public long MaxKibPerSecond
    {
        get { lock (_gate) { return _maxKib; } }
    }

    public bool Paused => !_running.IsSet;

    /// <summary>Set while a pass is held by <see cref="Pause"/> (tests and status wait on it).</summary>
    public bool Holding { get; private set; }

    public void SetLimits(long minKibPerSecond, long maxKibPerSecond)
    {
        if (minKibPerSecond < 1 || maxKibPerSecond < minKibPerSecond)
        {
            throw new ArgumentException($"sync speed limits {minKibPerSecond}..{maxKibPerSecond} KiB/s: need 1 <= min <= max");
        }

        lock (_gate)
        {
            _minKib = minKibPerSecond;
            _maxKib = maxKibPerSecond;
        }
    }

    public void Pause() => _running.Reset();

    public void Resume() => _running.Set();

    /// <summary>
    /// How long a pass that has moved <paramref name="bytesDone"/> in <paramref name="elapsed"/> should
    /// wait before its next unit: until its average speed is down to the maximum, or to the minimum while
    /// foreground I/O is active. Pure, so the policy is testable without a clock.
    /// </summary>
    public static TimeSpan DelayFor(long bytesDone, TimeSpan elapsed, bool foregroundActive, long minKibPerSecond, long maxKibPerSecond)
    {
        long limit = foregroundActive ? minKibPerSecond : maxKibPerSecond;
        var earliest = TimeSpan.FromSeconds(bytesDone / 1024.0 / limit);
        TimeSpan wait = earliest - elapsed;
        return wait <= TimeSpan.Zero ? TimeSpan.Zero : wait < LongestWait ? wait : LongestWait;
    }

    internal void NoteForeground() => Interlocked.Exchange(ref _lastForeground, _time.GetTimestamp());

    internal void StartPass() => _passStart = _time.GetTimestamp();

    /// <summary>Called between units of a pass: waits while paused, then for the speed limit.</summary>
    internal void Pace(long bytesDone, CancellationToken cancellationToken)
    {
        if (!_running.IsSet)
        {
            Holding = true;
            try
            {
                _running.Wait(cancellationToken);
            }
            finally
            {
                Holding = false;
            }
        }

        while (true)
        {
            long now = _time.GetTimestamp();
            long last = Interlocked.Read(ref _lastForeground);
            bool foreground = last != long.MinValue && _time.GetElapsedTime(last, now) < ForegroundWindow;
            long min;
            long max;
            lock (_gate)
            {
                min = _minKib;
                max = _maxKib;
            }

            TimeSpan wait = DelayFor(bytesDone, _time.GetElapsedTime(_passStart, now), foreground, min, max);
            if (wait == TimeSpan.Zero)
            {
                return;
            }

            Task.Delay(wait, _time, cancellationToken).GetAwaiter().GetResult();
        }
    }
}
