using System.Collections.Immutable;

namespace UpsAgent.Drivers.Simulated;

/// <summary>A parsed .dev or .seq file: its steps in file order.</summary>
public sealed record DeviceScript(string SourceName, ImmutableArray<DeviceStep> Steps)
{
    public bool HasTimers => Steps.Any(s => s is TimerStep);

    /// <summary>Length of one pass through the file in device seconds (sum of all TIMER lines).</summary>
    public long TotalTimerSeconds => Steps.OfType<TimerStep>().Sum(t => (long)t.Seconds);
}
