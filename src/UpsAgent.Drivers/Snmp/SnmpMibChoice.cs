namespace UpsAgent.Drivers.Snmp;

/// <summary>The <c>mibs =</c> setting: which table to read the card with (NUT snmp-ups' mibs option).</summary>
public enum SnmpMibChoice
{
    /// <summary>From sysObjectID, then by probing each MIB's model object.</summary>
    Auto,
    Ietf,
    Apc,
}
