namespace UpsAgent.Servers.Snmp;

/// <summary>What a community may do: read, or read and write (net-snmp's rocommunity / rwcommunity).</summary>
public enum SnmpAccess
{
    ReadOnly,
    ReadWrite,
}
