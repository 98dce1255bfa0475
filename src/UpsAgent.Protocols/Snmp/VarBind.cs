namespace UpsAgent.Protocols.Snmp;

/// <summary>VarBind ::= SEQUENCE { name ObjectName, value } (RFC 3416 section 3).</summary>
public readonly record struct VarBind(ObjectIdentifier Name, SnmpValue Value);
