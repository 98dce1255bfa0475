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
    public static readonly ObjectIdentifier SysUpTimeInstance = System.Append(3, 0);

    /// <summary>upsTraps (RFC 1628 section 5): .1 onBattery, .2 testCompleted, .3 alarmEntryAdded, .4 alarmEntryRemoved.</summary>
    public static readonly ObjectIdentifier UpsTraps = UpsMib.Append(2);

    /// <summary>snmpTrapOID.0 (RFC 3418): the second varbind of every v2 notification.</summary>
    public static readonly ObjectIdentifier SnmpTrapOidInstance = ObjectIdentifier.Parse("1.3.6.1.6.3.1.1.4.1.0");

    /// <summary>snmpEngine group (RFC 3411): snmpEngineID, Boots, Time, MaxMessageSize.</summary>
    public static readonly ObjectIdentifier SnmpEngine = ObjectIdentifier.Parse("1.3.6.1.6.3.10.2.1");

    /// <summary>snmpMPDStats (RFC 3412): .1 unknownSecurityModels, .2 invalidMsgs, .3 unknownPDUHandlers.</summary>
    public static readonly ObjectIdentifier SnmpMpdStats = ObjectIdentifier.Parse("1.3.6.1.6.3.11.2.1");

    /// <summary>snmpUnknownContexts.0 (RFC 3413 SNMP-TARGET-MIB), reported for a contextName the agent does not serve.</summary>
    public static readonly ObjectIdentifier SnmpUnknownContextsInstance = ObjectIdentifier.Parse("1.3.6.1.6.3.12.1.5.0");

    /// <summary>usmStats (RFC 3414 section 5): .1 unsupportedSecLevels ... .6 decryptionErrors.</summary>
    public static readonly ObjectIdentifier UsmStats = ObjectIdentifier.Parse("1.3.6.1.6.3.15.1.1");

    public static ObjectIdentifier UsmStat(uint arc) => UsmStats.Append(arc, 0);

    public static ObjectIdentifier Trap(uint arc) => UpsTraps.Append(arc);

    /// <summary>upsWellKnownAlarms (RFC 1628 upsAlarm group): values of upsAlarmDescr, not readable instances.</summary>
    public static ObjectIdentifier Alarm(UpsWellKnownAlarm alarm) => UpsWellKnownAlarms.Append((uint)alarm);

    /// <summary>upsWellKnownTests .1 noTestsInitiated ... .5 deepBatteryCalibration.</summary>
    public static ObjectIdentifier Test(uint arc) => UpsWellKnownTests.Append(arc);
}
