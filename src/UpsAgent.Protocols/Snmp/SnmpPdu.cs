namespace UpsAgent.Protocols.Snmp;

/// <summary>
/// Get/GetNext/Response/Set/GetBulk/Inform/SNMPv2-Trap/Report PDUs share one layout (RFC 3416
/// section 3); in a GetBulkRequest the two middle fields are non-repeaters and max-repetitions.
/// </summary>
public sealed record SnmpPdu(SnmpPduType Type, int RequestId, int ErrorStatus, int ErrorIndex, IReadOnlyList<VarBind> VarBinds)
{
    public int NonRepeaters => ErrorStatus;

    public int MaxRepetitions => ErrorIndex;

    public static SnmpPdu Response(int requestId, SnmpErrorStatus status, int errorIndex, IReadOnlyList<VarBind> varBinds) =>
        new(SnmpPduType.Response, requestId, (int)status, errorIndex, varBinds);
}
