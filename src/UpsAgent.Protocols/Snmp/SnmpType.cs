namespace UpsAgent.Protocols.Snmp;

/// <summary>BER identifier octets of the SNMP value types (RFC 3416 section 3, RFC 2578 section 7.1).</summary>
public enum SnmpType : byte
{
    Integer = 0x02,
    OctetString = 0x04,
    Null = 0x05,
    ObjectIdentifier = 0x06,
    Sequence = 0x30,
    IpAddress = 0x40,
    Counter32 = 0x41,
    Gauge32 = 0x42,
    TimeTicks = 0x43,
    Opaque = 0x44,
    Counter64 = 0x46,

    /// <summary>The three SNMPv2 exceptions are context-specific primitives of length 0 (RFC 3416 section 3).</summary>
    NoSuchObject = 0x80,
    NoSuchInstance = 0x81,
    EndOfMibView = 0x82,
}
