namespace UpsAgent.Core.State;

/// <summary>The ups.status tokens of docs/nut-names.txt as a set.</summary>
[Flags]
public enum UpsStatus
{
    None = 0,
    OnLine = 1 << 0,
    OnBattery = 1 << 1,
    LowBattery = 1 << 2,
    HighBattery = 1 << 3,
    ReplaceBattery = 1 << 4,
    Charging = 1 << 5,
    Discharging = 1 << 6,
    Bypass = 1 << 7,
    Calibrating = 1 << 8,
    Off = 1 << 9,
    Overload = 1 << 10,
    Trim = 1 << 11,
    Boost = 1 << 12,
    ForcedShutdown = 1 << 13,
    Alarm = 1 << 14,
    Wait = 1 << 15,
    Eco = 1 << 16,
    /// <summary>Any token we do not know; kept so that nothing is silently read as "fine".</summary>
    Other = 1 << 30,
}
