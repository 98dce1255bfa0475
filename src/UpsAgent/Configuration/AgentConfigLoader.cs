using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using UpsAgent.Console.Control;

namespace UpsAgent.Configuration;

/// <summary>Turns configuration text into a validated <see cref="AgentConfig"/>.</summary>
public static class AgentConfigLoader
{
    public const string DefaultPath = "/etc/upsagent/upsagent.conf";

    public static readonly IPEndPoint DefaultNutEndpoint = new(IPAddress.Loopback, 3493);

    /// <summary>What the agent runs with no file at all: one simulated UPS named "ups" (the name Synology and many clients assume).</summary>
    public static AgentConfig Defaults()
    {
        var config = new AgentConfig { ControlSocket = ControlSocketPath.Default() };
        config.Nut.Listen.Add(DefaultNutEndpoint);
        var section = new ConfigSection("ups", "ups", config.Source, 0);
        config.Ups.Add(new UpsSettings("ups", "simulated", section) { Description = "Simulated UPS (UpsAgent)" });
        return config;
    }

    public static AgentConfig LoadFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException(path, 0, null, $"cannot read the configuration file: {e.Message}");
        }

        return Load(text, path);
    }

    public static AgentConfig Load(string text, string file)
    {
        var config = new AgentConfig { Source = file, ControlSocket = ControlSocketPath.Default() };
        bool listenSeen = false;
        foreach (ConfigSection section in ConfigFileParser.Parse(text, file))
        {
            switch (section.Kind)
            {
                case "agent":
                    RequireNoName(section);
                    ReadAgent(section, config);
                    break;
                case "nut":
                    RequireNoName(section);
                    listenSeen |= ReadNut(section, config.Nut);
                    break;
                case "snmp":
                    SnmpConfigReader.Read(section, config.Snmp);
                    break;
                case "ups":
                    config.Ups.Add(ReadUps(section, config));
                    break;
                case "user":
                    config.Users.Add(ReadUser(section, config));
                    break;
                case "shutdown":
                    RequireNoName(section);
                    ShutdownConfigReader.ReadShutdown(section, config.Shutdown);
                    break;
                case "monitor":
                    MonitorConfig monitor = ShutdownConfigReader.ReadMonitor(section);
                    if (config.Monitors.Any(m => string.Equals(m.Label, monitor.Label, StringComparison.OrdinalIgnoreCase)))
                    {
                        throw section.Error($"monitor '{monitor.Label}' is configured twice");
                    }

                    config.Monitors.Add(monitor);
                    break;
                case "array":
                    config.Arrays.Add(ArrayConfigReader.Read(section, config.Arrays));
                    break;
                case "job":
                    config.Jobs.Add(JobConfigReader.Read(section, config.Jobs));
                    break;
                default:
                    throw section.Error($"unknown section [{section.Kind}]; expected [agent], [nut], [snmp], [ups NAME], [user NAME], [shutdown], [monitor NAME], [array NAME] or [job NAME]");
            }
        }

        if (!listenSeen)
        {
            config.Nut.Listen.Add(DefaultNutEndpoint);
        }

        if (config.Ups.Count == 0 && !config.Monitors.Any(m => !m.IsLocal))
        {
            throw new ConfigException(file, 1, null, "no [ups NAME] or remote [monitor NAME] section: configure at least one UPS");
        }

        foreach (MonitorConfig monitor in config.Monitors.Where(m => m.IsLocal))
        {
            if (!config.Ups.Any(u => string.Equals(u.Name, monitor.Ups, StringComparison.OrdinalIgnoreCase)))
            {
                ConfigEntry? entry = monitor.Section.Entries.LastOrDefault(e => e.Key == "ups");
                string problem = $"no [ups {monitor.Ups}] here; a remote UPS is written UPS@HOST[:PORT]";
                throw entry?.Error(problem) ?? monitor.Section.Error(problem);
            }
        }

        return config;
    }

    private static void RequireNoName(ConfigSection section)
    {
        if (section.Name is not null)
        {
            throw section.Error($"[{section.Kind}] takes no name");
        }
    }

    private static void ReadAgent(ConfigSection section, AgentConfig config)
    {
        foreach (ConfigEntry e in section.Entries)
        {
            switch (e.Key)
            {
                case "control-socket":
                    config.ControlSocket = e.Value is "none" or "" ? null : e.Value;
                    break;
                case "log-level":
                    config.LogLevel = e.Value.ToLowerInvariant() switch
                    {
                        "debug" => LogLevel.Debug,
                        "info" => LogLevel.Information,
                        "warning" => LogLevel.Warning,
                        "error" => LogLevel.Error,
                        _ => throw e.Error($"'{e.Value}' is not one of debug, info, warning, error"),
                    };
                    break;
                default:
                    throw e.Error("unknown key in [agent]; expected control-socket or log-level");
            }
        }
    }

    private static bool ReadNut(ConfigSection section, NutSettings nut)
    {
        bool listenSeen = false;
        foreach (ConfigEntry e in section.Entries)
        {
            switch (e.Key)
            {
                case "listen":
                    listenSeen = true;
                    if (e.Value == "none")
                    {
                        nut.Enabled = false;
                    }
                    else
                    {
                        nut.Listen.Add(ParseEndpoint(e.Value, 3493) ?? throw e.Error($"'{e.Value}' is not ADDRESS[:PORT] (e.g. 127.0.0.1:3493 or [::1]:3493)"));
                    }

                    break;
                case "max-connections":
                    nut.MaxConnections = ParseInt(e, 1, 1_000_000);
                    break;
                case "socket-loops":
                    nut.SocketLoops = e.Value == "auto" ? -1 : ParseInt(e, 0, 64);
                    break;
                case "idle-timeout":
                    nut.IdleTimeout = TimeSpan.FromSeconds(ParseInt(e, 1, 86_400));
                    break;
                case "certificate":
                    nut.CertificatePath = e.Value;
                    break;
                case "key":
                    nut.KeyPath = e.Value;
                    break;
                default:
                    throw e.Error("unknown key in [nut]; expected listen, max-connections, idle-timeout, socket-loops, certificate or key");
            }
        }

        return listenSeen;
    }

    private static UpsSettings ReadUps(ConfigSection section, AgentConfig config)
    {
        string name = section.Name ?? throw section.Error("[ups] needs a name: [ups NAME]");
        if (!IsNutName(name))
        {
            throw section.Error($"UPS name '{name}' may only hold letters, digits and . _ -");
        }

        if (config.Ups.Any(u => string.Equals(u.Name, name, StringComparison.OrdinalIgnoreCase)))
        {
            throw section.Error($"UPS '{name}' is configured twice");
        }

        string driver = section.Entries.LastOrDefault(e => e.Key == "driver")?.Value ?? "simulated";
        var ups = new UpsSettings(name, driver, section);
        ConfigEntry? description = section.Entries.LastOrDefault(e => e.Key == "description");
        if (description is not null)
        {
            ups.Description = description.Value;
        }

        return ups;
    }

    private static UserSettings ReadUser(ConfigSection section, AgentConfig config)
    {
        string name = section.Name ?? throw section.Error("[user] needs a name: [user NAME]");
        if (config.Users.Any(u => u.Name == name))
        {
            throw section.Error($"user '{name}' is configured twice");
        }

        var user = new UserSettings(name, section);
        foreach (ConfigEntry e in section.Entries)
        {
            switch (e.Key)
            {
                case "password":
                    user.Password = e.Value;
                    break;
                case "actions":
                    foreach (string action in Words(e.Value))
                    {
                        string upper = action.ToUpperInvariant();
                        if (upper is not ("SET" or "FSD" or "LOGIN" or "PRIMARY" or "MASTER"))
                        {
                            throw e.Error($"unknown action '{action}'; expected SET, FSD, LOGIN or PRIMARY");
                        }

                        user.Actions.Add(upper);
                    }

                    break;
                case "instcmds":
                    user.InstantCommands.AddRange(Words(e.Value));
                    break;
                case "upsmon":
                    user.UpsmonRole = e.Value.ToLowerInvariant() switch
                    {
                        "primary" or "master" => "primary",
                        "secondary" or "slave" => "secondary",
                        _ => throw e.Error($"'{e.Value}' is not primary or secondary"),
                    };
                    break;
                default:
                    throw e.Error("unknown key in [user]; expected password, actions, instcmds or upsmon");
            }
        }

        if (user.Password is null)
        {
            throw section.Error($"user '{name}' has no password");
        }

        return user;
    }

    public static IPEndPoint? ParseEndpoint(string text, int defaultPort)
    {
        if (IPEndPoint.TryParse(text, out IPEndPoint? endpoint))
        {
            if (endpoint.Port == 0 && !text.EndsWith(":0", StringComparison.Ordinal))
            {
                endpoint.Port = defaultPort;
            }

            return endpoint;
        }

        if (text.StartsWith("localhost", StringComparison.OrdinalIgnoreCase))
        {
            string rest = text["localhost".Length..];
            if (rest.Length == 0)
            {
                return new IPEndPoint(IPAddress.Loopback, defaultPort);
            }

            if (rest[0] == ':' && int.TryParse(rest.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out int port) && port <= 65535)
            {
                return new IPEndPoint(IPAddress.Loopback, port);
            }
        }

        return null;
    }

    public static int ParseInt(ConfigEntry e, int min, int max)
    {
        if (!int.TryParse(e.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) || value < min || value > max)
        {
            throw e.Error($"'{e.Value}' is not a whole number from {min} to {max}");
        }

        return value;
    }

    private static IEnumerable<string> Words(string value) =>
        value.Split([' ', '\t', ','], StringSplitOptions.RemoveEmptyEntries);

    private static bool IsNutName(string name) =>
        name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');
}
