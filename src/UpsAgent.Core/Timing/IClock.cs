namespace UpsAgent.Core.Timing;

/// <summary>
/// Wall time for display and monotonic time for timeouts, so tests can drive both.
/// </summary>
public interface IClock
{
    DateTimeOffset UtcNow { get; }

    /// <summary>Monotonic time since an arbitrary origin; never jumps with wall-clock changes.</summary>
    TimeSpan Elapsed { get; }

    Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken);
}
