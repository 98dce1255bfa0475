using System.Net;
using UpsAgent.Servers.Snmp;

namespace UpsAgent.Configuration;

/// <summary>The [snmp] section. The agent runs only when this section or --listen-snmp asks for it.</summary>
public sealed class SnmpSettings
{
    public const int DefaultPort = 161;

    public const int DefaultTrapPort = 162;

    /// <summary>Where snmpEngineBoots is kept when v3 users exist and no state-file is named (net-snmp: /var/lib/snmp).</summary>
    public const string DefaultStateFile = "/var/lib/upsagent/snmp-engine";

    /// <summary>Where the agent listens; empty means it does not run.</summary>
    public List<IPEndPoint> Listen { get; } = [];

    /// <summary>Empty means "public" read-only from loopback only.</summary>
    public List<SnmpCommunity> Communities { get; } = [];

    /// <summary>"community = none": no v1/v2c access at all.</summary>
    public bool CommunitiesDisabled { get; set; }

    public List<SnmpUser> Users { get; } = [];

    public List<SnmpTrapReceiver> TrapReceivers { get; } = [];

    public byte[]? EngineId { get; set; }

    public string? StateFile { get; set; }

    public string? Ups { get; set; }

    public string? Description { get; set; }

    public string? ObjectId { get; set; }

    public string? Contact { get; set; }

    public string? Name { get; set; }

    public string? Location { get; set; }

    public bool Enabled => Listen.Count > 0;
}
