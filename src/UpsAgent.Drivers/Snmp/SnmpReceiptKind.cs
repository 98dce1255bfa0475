namespace UpsAgent.Drivers.Snmp;

/// <summary>What a received datagram means for the request waiting on it.</summary>
public enum SnmpReceiptKind
{
    /// <summary>Not the answer to this request (a late answer to an earlier one, garbage): keep waiting.</summary>
    Unrelated,

    /// <summary>The Response PDU for this request.</summary>
    Response,

    /// <summary>The message model learnt something (an SNMPv3 engine's ID or clock): encode the request again and resend it.</summary>
    Resend,

    /// <summary>The agent refused the request in a way retrying cannot fix (an SNMPv3 authentication Report).</summary>
    Refused,
}
