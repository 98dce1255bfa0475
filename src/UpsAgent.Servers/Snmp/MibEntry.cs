using UpsAgent.Protocols.Snmp;

namespace UpsAgent.Servers.Snmp;

/// <summary>
/// One readable instance: the object it belongs to (a scalar's OID, a table column's OID), the
/// instance OID (scalar plus .0, column plus index), how to read its value now and, when writable,
/// what a SET of it means.
/// </summary>
public sealed record MibEntry(ObjectIdentifier Object, ObjectIdentifier Instance, Func<SnmpValue> Read, Func<SnmpValue, UpsMibWrite>? Write = null);
