using UpsAgent.Protocols.Snmp;

namespace UpsAgent.Servers.Snmp;

/// <summary>
/// One readable instance: the object it belongs to (a scalar's OID, a table column's OID), the
/// instance OID (scalar plus .0, column plus index) and how to read its value now.
/// </summary>
public sealed record MibEntry(ObjectIdentifier Object, ObjectIdentifier Instance, Func<SnmpValue> Read);
