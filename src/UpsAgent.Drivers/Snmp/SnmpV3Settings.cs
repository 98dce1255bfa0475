using UpsAgent.Protocols.Snmp;

namespace UpsAgent.Drivers.Snmp;

/// <summary>
/// An SNMPv3 user as a manager knows it: pass phrases, not keys, because the keys are localised to
/// the engine ID the agent reveals at discovery (RFC 3414 section 2.6). Names follow NUT's
/// secName/authProtocol/authPassword/privProtocol/privPassword.
/// </summary>
public sealed record SnmpV3Settings
{
    public required string UserName { get; init; }

    public UsmAuthProtocol AuthProtocol { get; init; } = UsmAuthProtocol.None;

    public string? AuthPassword { get; init; }

    public UsmPrivProtocol PrivProtocol { get; init; } = UsmPrivProtocol.None;

    public string? PrivPassword { get; init; }

    /// <summary>contextName; empty is the default context (NUT and net-snmp send it; snmpsimd picks its data file by it).</summary>
    public string Context { get; init; } = string.Empty;

    /// <summary>noAuthNoPriv, authNoPriv or authPriv, as net-snmp's -l and NUT's secLevel name it.</summary>
    public string Level =>
        AuthProtocol == UsmAuthProtocol.None ? "noAuthNoPriv" : PrivProtocol == UsmPrivProtocol.None ? "authNoPriv" : "authPriv";
}
