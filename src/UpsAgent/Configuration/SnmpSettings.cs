using System.Net;
using UpsAgent.Servers.Snmp;

namespace UpsAgent.Configuration;

/// <summary>The [snmp] section. The agent runs only when this section or --listen-snmp asks for it.</summary>
public sealed class SnmpSettings
{
    public const int DefaultPort = 161;

    /// <summary>Where the agent listens; empty means it does not run.</summary>
    public List<IPEndPoint> Listen { get; } = [];

    /// <summary>Empty means "public" read-only.</summary>
    public List<SnmpCommunity> Communities { get; } = [];

    public string? Ups { get; set; }

    public string? Description { get; set; }

    public string? ObjectId { get; set; }

    public string? Contact { get; set; }

    public string? Name { get; set; }

    public string? Location { get; set; }

    public bool Enabled => Listen.Count > 0;
}
