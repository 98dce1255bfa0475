namespace UpsAgent.Protocols.Snmp;

/// <summary>ScopedPDU (RFC 3412 section 6.8): the context the PDU is meant for, then the PDU.</summary>
public sealed record ScopedPdu(byte[] ContextEngineId, byte[] ContextName, SnmpPdu Pdu);
