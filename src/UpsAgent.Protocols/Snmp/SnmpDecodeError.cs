namespace UpsAgent.Protocols.Snmp;

/// <summary>Why a datagram was not a message we can answer; each maps to one counter.</summary>
public enum SnmpDecodeError
{
    None = 0,

    /// <summary>Bad BER or a structure SNMP does not allow (snmpInASNParseErrs).</summary>
    Malformed,

    /// <summary>Well-formed but a version we do not speak (snmpInBadVersions).</summary>
    BadVersion,

    /// <summary>An SNMPv3 msgSecurityModel other than USM (snmpUnknownSecurityModels, RFC 3412 section 7.2 step 4).</summary>
    UnknownSecurityModel,

    /// <summary>An SNMPv3 header that breaks RFC 3412's rules, such as privacy without authentication (snmpInvalidMsgs).</summary>
    InvalidMessage,
}
