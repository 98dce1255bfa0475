namespace UpsAgent.Protocols.Snmp;

/// <summary>Why a datagram was not a message we can answer; each maps to one snmp group counter.</summary>
public enum SnmpDecodeError
{
    None = 0,

    /// <summary>Bad BER or a structure SNMP does not allow (snmpInASNParseErrs).</summary>
    Malformed,

    /// <summary>Well-formed but a version we do not speak (snmpInBadVersions).</summary>
    BadVersion,
}
