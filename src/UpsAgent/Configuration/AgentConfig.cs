using System.Net;
using Microsoft.Extensions.Logging;
using UpsAgent.Backup.Jobs;

namespace UpsAgent.Configuration;

/// <summary>The whole agent configuration after validation; see README "Configuration".</summary>
public sealed class AgentConfig
{
    /// <summary>Where it came from, for messages; "(built-in defaults)" when no file was read.</summary>
    public string Source { get; init; } = "(built-in defaults)";

    /// <summary>Null disables the control socket.</summary>
    public string? ControlSocket { get; set; }

    public LogLevel LogLevel { get; set; } = LogLevel.Information;

    public NutSettings Nut { get; } = new();

    public SnmpSettings Snmp { get; } = new();

    public List<UpsSettings> Ups { get; } = [];

    public List<UserSettings> Users { get; } = [];

    public ShutdownConfig Shutdown { get; } = new();

    /// <summary>[monitor NAME] sections; when there are none, every local UPS is monitored as its primary.</summary>
    public List<MonitorConfig> Monitors { get; } = [];

    /// <summary>[array NAME] sections: md-format arrays the agent assembles and watches.</summary>
    public List<ArrayConfig> Arrays { get; } = [];

    /// <summary>[job NAME] sections: backups the agent runs on their schedules.</summary>
    public List<BackupJob> Jobs { get; } = [];
}

/// <summary>The [nut] section: upsd.conf's LISTEN, MAXCONN and CERTFILE in one place.</summary>
public sealed class NutSettings
{
    public List<IPEndPoint> Listen { get; } = [];

    public bool Enabled { get; set; } = true;

    public int MaxConnections { get; set; } = 1000;

    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Event-loop threads serving clients; -1 picks one per core (up to 4), 0 uses the runtime's socket engine.</summary>
    public int SocketLoops { get; set; } = -1;

    public string? CertificatePath { get; set; }

    public string? KeyPath { get; set; }
}

/// <summary>A [ups NAME] section: ups.conf's driver, port and desc, with driver-specific keys.</summary>
public sealed class UpsSettings(string name, string driver, ConfigSection section)
{
    public string Name { get; } = name;

    public string Driver { get; } = driver;

    public string Description { get; set; } = string.Empty;

    /// <summary>All entries of the section, for the driver to read its own keys from.</summary>
    public ConfigSection Section { get; } = section;
}

/// <summary>A [user NAME] section: one upsd.users entry.</summary>
public sealed class UserSettings(string name, ConfigSection section)
{
    public string Name { get; } = name;

    public string? Password { get; set; }

    public List<string> Actions { get; } = [];

    public List<string> InstantCommands { get; } = [];

    /// <summary>"primary" or "secondary" (upsd.users' upsmon line), or null.</summary>
    public string? UpsmonRole { get; set; }

    public ConfigSection Section { get; } = section;
}
