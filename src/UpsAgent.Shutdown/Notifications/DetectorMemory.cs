using UpsAgent.Core.State;

namespace UpsAgent.Shutdown.Notifications;

/// <summary>What the event detector remembers of one UPS between polls.</summary>
public sealed record DetectorMemory(
    UpsStatus? Previous,
    bool EverReachable,
    TimeSpan? UnreachableSince,
    TimeSpan? LastNoComm,
    TimeSpan? LastReplaceBattery)
{
    public static DetectorMemory Initial { get; } = new(null, false, null, null, null);
}
