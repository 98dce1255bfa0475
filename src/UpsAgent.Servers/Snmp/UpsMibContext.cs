using UpsAgent.Core.State;

namespace UpsAgent.Servers.Snmp;

/// <summary>What a UPS-MIB row reads from: the snapshot, the alarm bookkeeping and the agent's uptime.</summary>
public sealed record UpsMibContext(UpsState State, UpsAlarmTable Alarms, Func<TimeSpan> Uptime)
{
    /// <summary>sysUpTime units: hundredths of a second, wrapping at 2^32 (RFC 3418).</summary>
    public uint UptimeTicks => unchecked((uint)(long)(Uptime().TotalMilliseconds / 10));
}
