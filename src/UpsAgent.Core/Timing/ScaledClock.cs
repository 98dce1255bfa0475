using System.Diagnostics;

namespace UpsAgent.Core.Timing;

/// <summary>
/// A clock that runs <see cref="Factor"/> times faster than real time, for rehearsing an outage
/// ("shutdown simulate"): every delay and every elapsed time scales together, so timers, grace
/// periods and the simulated UPS's TIMER steps keep their proportions.
/// </summary>
public sealed class ScaledClock : IClock
{
    private long _origin = Stopwatch.GetTimestamp();
    private DateTimeOffset _start;

    public ScaledClock(double factor, DateTimeOffset? start = null)
    {
        if (!double.IsFinite(factor) || factor <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "the speed factor must be a positive number");
        }

        Factor = factor;
        _start = start ?? DateTimeOffset.UtcNow;
    }

    public double Factor { get; }

    /// <summary>Starts time over from zero, so start-up work (JIT, file reads) does not eat simulated minutes.</summary>
    public void Restart()
    {
        _start = UtcNow;
        Volatile.Write(ref _origin, Stopwatch.GetTimestamp());
    }

    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(Volatile.Read(ref _origin)) * Factor;

    public DateTimeOffset UtcNow => _start + Elapsed;

    public Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken) =>
        delay <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(delay / Factor, cancellationToken);
}
