namespace UpsAgent.Protocols.Snmp;

/// <summary>msgFlags (RFC 3412 section 6.4): authFlag, privFlag, reportableFlag.</summary>
[Flags]
public enum SnmpV3Flags : byte
{
    None = 0,
    Auth = 0x01,
    Priv = 0x02,
    Reportable = 0x04,
}
