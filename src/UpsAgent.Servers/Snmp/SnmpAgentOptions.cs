using System.Net;
using UpsAgent.Protocols.Snmp;

namespace UpsAgent.Servers.Snmp;

/// <summary>The agent's settings: where it listens, who may ask, and the system group's texts.</summary>
public sealed record SnmpAgentOptions
{
    public IReadOnlyList<IPEndPoint> Listen { get; init; } = [];

    /// <summary>With none configured, "public" read-only from loopback only, as Debian's snmpd ships.</summary>
    public IReadOnlyList<SnmpCommunity> Communities { get; init; } = [SnmpCommunity.LoopbackPublic];

    /// <summary>SNMPv3 users; none means the agent answers v3 only with discovery and unknown-user Reports.</summary>
    public IReadOnlyList<SnmpUser> Users { get; init; } = [];

    /// <summary>snmpEngineID (RFC 3411: 5..32 octets), stable across restarts.</summary>
    public byte[] EngineId { get; init; } = SnmpEngineIdentity.Derive(Environment.MachineName);

    /// <summary>True when <see cref="EngineId"/> was configured rather than derived; a persisted one then gives way.</summary>
    public bool EngineIdConfigured { get; init; }

    /// <summary>Where snmpEngineID and snmpEngineBoots persist; boots goes up by one at every start. Null keeps <see cref="EngineBoots"/>.</summary>
    public string? EngineStateFile { get; init; }

    /// <summary>snmpEngineBoots: persisted and incremented at every start by whoever builds the options.</summary>
    public int EngineBoots { get; init; } = 1;

    /// <summary>Where traps and informs go; none means no notifications.</summary>
    public IReadOnlyList<SnmpTrapReceiver> TrapReceivers { get; init; } = [];

    /// <summary>Informs are resent this many times after the first, each after <see cref="InformTimeout"/>.</summary>
    public int InformRetries { get; init; } = 3;

    public TimeSpan InformTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>upsTrapOnBattery is repeated this often while on battery (RFC 1628: every minute).</summary>
    public TimeSpan OnBatteryRepeat { get; init; } = TimeSpan.FromMinutes(1);

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
