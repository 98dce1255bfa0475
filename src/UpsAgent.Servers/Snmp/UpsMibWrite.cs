using UpsAgent.Protocols.Snmp;

namespace UpsAgent.Servers.Snmp;

/// <summary>
/// What a SET of one UPS-MIB object means for the UPS: a NUT variable to set, an instant command to
/// run, or a refusal with the SNMPv2 error-status that says why (RFC 3416 section 4.2.5).
/// </summary>
public readonly record struct UpsMibWrite(SnmpErrorStatus Error, string? Variable, string? Command, string? Value)
{
    public static UpsMibWrite SetVariable(string name, string value) => new(SnmpErrorStatus.NoError, name, null, value);

    public static UpsMibWrite RunCommand(string name, string? parameter = null) => new(SnmpErrorStatus.NoError, null, name, parameter);

    public static UpsMibWrite Refuse(SnmpErrorStatus error) => new(error, null, null, null);
}
