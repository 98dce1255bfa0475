namespace UpsAgent.Protocols.Snmp;

/// <summary>PDU tags: context-specific, constructed (RFC 1157 section 4.1, RFC 3416 section 3).</summary>
public enum SnmpPduType : byte
{
    GetRequest = 0xA0,
    GetNextRequest = 0xA1,
    Response = 0xA2,
    SetRequest = 0xA3,

    /// <summary>The SNMPv1 Trap-PDU; it has its own layout and is recognised but not decoded.</summary>
    TrapV1 = 0xA4,
    GetBulkRequest = 0xA5,
    InformRequest = 0xA6,
    SnmpV2Trap = 0xA7,
    Report = 0xA8,
}
