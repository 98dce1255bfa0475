namespace UpsAgent.Servers.Snmp;

/// <summary>How a receiver is sent notifications.</summary>
public enum SnmpNotificationKind
{
    /// <summary>SNMPv1 Trap-PDU (RFC 1157), the RFC 3584 translation of the notification.</summary>
    TrapV1,

    /// <summary>SNMPv2-Trap-PDU over v2c, not acknowledged.</summary>
    TrapV2c,

    /// <summary>InformRequest over v2c, resent until the receiver answers (RFC 3416 section 4.2.7).</summary>
    InformV2c,
}
