namespace UpsAgent.Protocols.Snmp;

/// <summary>A community-based message, v1 (RFC 1157) or v2c (RFC 1901): version, community, PDU.</summary>
public sealed record SnmpMessage(SnmpVersion Version, byte[] Community, SnmpPdu Pdu);
