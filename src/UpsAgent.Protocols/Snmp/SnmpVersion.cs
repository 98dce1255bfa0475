namespace UpsAgent.Protocols.Snmp;

/// <summary>msgVersion values: RFC 1157 (v1), RFC 1901 (v2c), RFC 3412 (v3).</summary>
public enum SnmpVersion
{
    V1 = 0,
    V2c = 1,
    V3 = 3,
}
