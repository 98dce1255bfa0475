using UpsAgent.Protocols.Snmp;

namespace UpsAgent.Drivers.Snmp;

/// <summary>What one <c>[ups NAME]</c> section with <c>driver = snmp</c> says.</summary>
public sealed record SnmpDriverOptions
{
    public required string Host { get; init; }

    public int Port { get; init; } = 161;

    /// <summary>v1 by default, as NUT's snmp-ups (snmp_version=v1).</summary>
    public SnmpVersion Version { get; init; } = SnmpVersion.V1;

    public string Community { get; init; } = "public";

    /// <summary>The SNMPv3 user when <see cref="Version"/> is v3.</summary>
    public SnmpV3Settings? V3 { get; init; }

    public SnmpMibChoice Mibs { get; init; } = SnmpMibChoice.Auto;

    /// <summary>Time between polls (NUT's pollfreq; 30 s there, shorter here because one poll is a few datagrams).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(5);

    public SnmpClientOptions Client { get; init; } = new();

    /// <summary>"HOST:PORT" as NUT's driver.parameter.port shows it.</summary>
    public string Target => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
