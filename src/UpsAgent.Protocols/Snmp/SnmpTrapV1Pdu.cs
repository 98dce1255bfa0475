namespace UpsAgent.Protocols.Snmp;

/// <summary>
/// The SNMPv1 Trap-PDU (RFC 1157 section 4.1.6), which has its own layout: enterprise, agent-addr,
/// generic-trap, specific-trap, time-stamp, variable-bindings. RFC 3584 section 3.2 says how a v2
/// notification OID becomes enterprise plus specific-trap.
/// </summary>
public sealed record SnmpTrapV1Pdu(
    ObjectIdentifier Enterprise, byte[] AgentAddress, int GenericTrap, int SpecificTrap, uint TimeStamp, IReadOnlyList<VarBind> VarBinds)
{
    /// <summary>generic-trap enterpriseSpecific(6): the trap is named by enterprise and specific-trap.</summary>
    public const int EnterpriseSpecific = 6;

    /// <summary>
    /// RFC 3584 section 3.2: a notification whose next-to-last arc is 0 drops both last arcs,
    /// otherwise only the last; the last arc becomes specific-trap (upsTrapOnBattery 1.3.6.1.2.1.33.2.1
    /// is enterprise 1.3.6.1.2.1.33.2, specific 1).
    /// </summary>
    public static SnmpTrapV1Pdu FromNotification(ObjectIdentifier notification, ReadOnlySpan<byte> agentAddress, uint timeStamp, IReadOnlyList<VarBind> varBinds)
    {
        ReadOnlySpan<uint> arcs = notification.Arcs;
        int keep = arcs.Length >= 3 && arcs[^2] == 0 ? arcs.Length - 2 : arcs.Length - 1;
        var enterprise = new ObjectIdentifier(arcs[..keep]);
        return new SnmpTrapV1Pdu(enterprise, agentAddress.ToArray(), EnterpriseSpecific, (int)arcs[^1], timeStamp, varBinds);
    }
}
