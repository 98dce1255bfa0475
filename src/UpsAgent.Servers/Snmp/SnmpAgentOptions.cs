using System.Net;
using UpsAgent.Protocols.Snmp;

namespace UpsAgent.Servers.Snmp;

/// <summary>The agent's settings: where it listens, who may ask, and the system group's texts.</summary>
public sealed class SnmpAgentOptions
{
    public IReadOnlyList<IPEndPoint> Listen { get; init; } = [];

    /// <summary>With none configured, "public" read-only, as Debian's snmpd ships.</summary>
    public IReadOnlyList<SnmpCommunity> Communities { get; init; } = [new("public", SnmpAccess.ReadOnly)];

    /// <summary>Which UPS the UPS-MIB describes; null for the first configured.</summary>
    public string? Ups { get; init; }

    public string? Description { get; init; }

    /// <summary>upsMIB by default, so NUT's snmp-ups with mibs=auto picks its ietf mapping at once.</summary>
    public ObjectIdentifier ObjectId { get; init; } = UpsMibOids.UpsMib;

    public string Contact { get; init; } = string.Empty;

    public string Name { get; init; } = Environment.MachineName;

    public string Location { get; init; } = string.Empty;

    /// <summary>
    /// Largest response datagram. RFC 3417 section 3.2 recommends accepting 1472 octets, and v1/v2c
    /// requests carry no size of their own, so that is the default.
    /// </summary>
    public int MaxMessageSize { get; init; } = 1472;

    /// <summary>Local cap on GetBulk varbinds (net-snmp's maxGetbulkResponses default is 100).</summary>
    public int MaxBulkVarBinds { get; init; } = 100;
}
