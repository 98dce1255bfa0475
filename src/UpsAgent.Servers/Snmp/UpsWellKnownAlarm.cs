namespace UpsAgent.Servers.Snmp;

/// <summary>The last arc of each upsWellKnownAlarms identity (RFC 1628), for the alarms the state model can show.</summary>
public enum UpsWellKnownAlarm : uint
{
    BatteryBad = 1,
    OnBattery = 2,
    LowBattery = 3,
    OutputOverload = 8,
    OnBypass = 9,
    UpsOutputOff = 14,
    CommunicationsLost = 20,
    TestInProgress = 24,
}
