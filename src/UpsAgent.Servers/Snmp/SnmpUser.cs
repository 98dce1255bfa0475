using UpsAgent.Protocols.Snmp;

namespace UpsAgent.Servers.Snmp;

/// <summary>
/// A configured SNMPv3 user (net-snmp's createUser plus rouser/rwuser): pass phrases, protocols and
/// access. Keys are localised to the agent's engine ID when the agent starts.
/// </summary>
public sealed record SnmpUser(string Name, UsmAuthProtocol AuthProtocol, string AuthPassword, UsmPrivProtocol PrivProtocol, string? PrivPassword, SnmpAccess Access);
