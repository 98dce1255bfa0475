using UpsAgent.Protocols.Snmp;

namespace UpsAgent.Servers.Snmp;

/// <summary>Object identifiers of RFC 1628 (UPS-MIB) and RFC 3418 (SNMPv2-MIB) that the agent serves.</summary>
public static class UpsMibOids
{
    public static readonly ObjectIdentifier UpsMib = ObjectIdentifier.Parse("1.3.6.1.2.1.33");
    public static readonly ObjectIdentifier UpsIdent = UpsMib.Append(1, 1);
    public static readonly ObjectIdentifier UpsBattery = UpsMib.Append(1, 2);
    public static readonly ObjectIdentifier UpsInput = UpsMib.Append(1, 3);
    public static readonly ObjectIdentifier UpsInputEntry = UpsInput.Append(3, 1);
    public static readonly ObjectIdentifier UpsOutput = UpsMib.Append(1, 4);
    public static readonly ObjectIdentifier UpsOutputEntry = UpsOutput.Append(4, 1);
    public static readonly ObjectIdentifier UpsAlarm = UpsMib.Append(1, 6);
    public static readonly ObjectIdentifier UpsAlarmEntry = UpsAlarm.Append(2, 1);
    public static readonly ObjectIdentifier UpsWellKnownAlarms = UpsAlarm.Append(3);
    public static readonly ObjectIdentifier UpsTest = UpsMib.Append(1, 7);
    public static readonly ObjectIdentifier UpsWellKnownTests = UpsTest.Append(7);
    public static readonly ObjectIdentifier UpsControl = UpsMib.Append(1, 8);
    public static readonly ObjectIdentifier UpsConfig = UpsMib.Append(1, 9);

    public static readonly ObjectIdentifier System = ObjectIdentifier.Parse("1.3.6.1.2.1.1");
    public static readonly ObjectIdentifier SnmpGroup = ObjectIdentifier.Parse("1.3.6.1.2.1.11");

    /// <summary>upsWellKnownAlarms (RFC 1628 upsAlarm group): values of upsAlarmDescr, not readable instances.</summary>
    public static ObjectIdentifier Alarm(UpsWellKnownAlarm alarm) => UpsWellKnownAlarms.Append((uint)alarm);

    /// <summary>upsWellKnownTests .1 noTestsInitiated ... .5 deepBatteryCalibration.</summary>
    public static ObjectIdentifier Test(uint arc) => UpsWellKnownTests.Append(arc);
}
