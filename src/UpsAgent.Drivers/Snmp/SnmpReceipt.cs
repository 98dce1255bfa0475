using UpsAgent.Protocols.Snmp;

namespace UpsAgent.Drivers.Snmp;

/// <summary>A decoded datagram as seen by a waiting request; <see cref="Problem"/> says why when it was refused.</summary>
public readonly record struct SnmpReceipt(SnmpReceiptKind Kind, SnmpPdu? Pdu = null, string? Problem = null)
{
    public static SnmpReceipt Unrelated => new(SnmpReceiptKind.Unrelated);
}
