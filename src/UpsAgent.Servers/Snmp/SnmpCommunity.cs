namespace UpsAgent.Servers.Snmp;

/// <summary>A configured community string and its access.</summary>
public sealed record SnmpCommunity(string Name, SnmpAccess Access);
