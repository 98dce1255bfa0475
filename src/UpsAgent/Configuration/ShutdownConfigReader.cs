using System.Collections.Immutable;
using System.Globalization;
using UpsAgent.Shutdown.Notifications;
using UpsAgent.Shutdown.Policy;

namespace UpsAgent.Configuration;

/// <summary>Reads [shutdown] and [monitor NAME] sections.</summary>
internal static class ShutdownConfigReader
{
    public static void ReadShutdown(ConfigSection section, ShutdownConfig config)
    {
        var flags = ImmutableDictionary.CreateBuilder<NotifyType, NotifyFlags>();
        var messages = ImmutableDictionary.CreateBuilder<NotifyType, string>();
        string? notifyCommand = null;
        foreach (ConfigEntry e in section.Entries)
        {
            switch (e.Key)
            {
                case "command":
                    config.Command = e.Value is "" or "none" ? null : e.Value;
                    break;
                case "power-down-flag":
                    config.PowerDownFlag = e.Value is "" or "none" ? null : e.Value;
                    break;
                case "notify-command":
                    notifyCommand = e.Value is "" or "none" ? null : e.Value;
                    break;
                case "notify-flag":
                    {
                        (NotifyType type, string rest) = TypeAndRest(e);
                        NotifyFlags value = NotifyFlags.Ignore;
                        foreach (string word in rest.Split('+', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                        {
                            value |= word.ToUpperInvariant() switch
                            {
                                "SYSLOG" => NotifyFlags.Syslog,
                                "WALL" => NotifyFlags.Wall,
                                "EXEC" => NotifyFlags.Exec,
                                "IGNORE" => NotifyFlags.Ignore,
                                _ => throw e.Error($"'{word}' is not SYSLOG, WALL, EXEC or IGNORE"),
                            };
                        }

                        flags[type] = value;
                        break;
                    }

                case "notify-message":
                    {
                        (NotifyType type, string rest) = TypeAndRest(e);
                        messages[type] = rest.Trim().Trim('"');
                        break;
                    }

                case "min-supplies":
                    config.Policy = config.Policy with { MinSupplies = AgentConfigLoader.ParseInt(e, 0, 1000) };
                    break;
                case "grace":
                    config.Policy = config.Policy with { GracePeriod = Seconds(e, 0) };
                    break;
                case "on-battery-limit":
                    config.Policy = config.Policy with { OnBatteryLimit = OptionalSeconds(e) };
                    break;
                case "runtime-below":
                    config.Policy = config.Policy with { RuntimeBelow = OptionalSeconds(e) };
                    break;
                case "charge-below":
                    config.Policy = config.Policy with { ChargeBelowPercent = e.Value is "none" or "" ? null : Percent(e) };
                    break;
                case "host-sync":
                    config.Policy = config.Policy with { HostSync = Seconds(e, 0) };
                    break;
                case "dead-time":
                    config.Policy = config.Policy with { DeadTime = Seconds(e, 1) };
                    break;
                case "final-delay":
                    config.Policy = config.Policy with { FinalDelay = Seconds(e, 0) };
                    break;
                case "poll-interval":
                    config.PollInterval = Seconds(e, 1);
                    break;
                case "alert-poll-interval":
                    config.AlertPollInterval = Seconds(e, 1);
                    break;
                case "allow-simulated":
                    config.AllowSimulated = ConfigValues.YesNo(e);
                    break;
                case "hook":
                    config.Hooks.Add(Hook(e));
                    break;
                case "timer-command":
                    config.TimerCommand = e.Value;
                    break;
                case "at":
                    config.TimerRules.Add(TimerRule(e));
                    break;
                default:
                    throw e.Error("unknown key in [shutdown]; see README 'Safe shutdown' for the keys");
            }
        }

        config.Notify = new NotifySettings { Command = notifyCommand, Flags = flags.ToImmutable(), Messages = messages.ToImmutable() };
        if (config.TimerRules.Count > 0 && config.TimerCommand is null && config.TimerRules.Any(r => r.Action == "START-TIMER"))
        {
            throw config.TimerRules[0].Entry.Error("timers need a timer-command to run when they fire");
        }
    }

    public static MonitorConfig ReadMonitor(ConfigSection section)
    {
        string label = section.Name ?? throw section.Error("[monitor] needs a name: [monitor NAME]");
        string? target = null;
        int powerValue = 1;
        string? user = null;
        string? password = null;
        MonitorRole? role = null;
        var tls = new NutTlsConfig();
        foreach (ConfigEntry e in section.Entries)
        {
            if (tls.TryRead(e))
            {
                continue;
            }

            switch (e.Key)
            {
                case "ups":
                    target = e.Value;
                    break;
                case "power-value":
                    powerValue = AgentConfigLoader.ParseInt(e, 0, 1000);
                    break;
                case "user":
                    user = e.Value;
                    break;
                case "password":
                    password = e.Value;
                    break;
                case "role":
                    role = e.Value.ToLowerInvariant() switch
                    {
                        "primary" or "master" => MonitorRole.Primary,
                        "secondary" or "slave" => MonitorRole.Secondary,
                        _ => throw e.Error($"'{e.Value}' is not primary or secondary"),
                    };
                    break;
                default:
                    throw e.Error("unknown key in [monitor]; expected ups, power-value, user, password, role, tls, tls-verify or tls-ca");
            }
        }

        target ??= label;
        ConfigEntry? upsEntry = section.Entries.LastOrDefault(x => x.Key == "ups");
        int at = target.IndexOf('@');
        if (at < 0)
        {
            if (section.Entries.FirstOrDefault(x => NutTlsConfig.Keys.Contains(x.Key)) is { } local)
            {
                throw local.Error($"{local.Key} is for a UPS on another NUT server (ups = UPS@HOST); {target} is this agent's own");
            }

            return new MonitorConfig(label, target, null, 0, powerValue, null, null, role ?? MonitorRole.Primary, section);
        }

        string ups = target[..at];
        string hostPort = target[(at + 1)..];
        string host = hostPort;
        int port = 3493;
        int colon = hostPort.LastIndexOf(':');
        if (colon > 0 && !hostPort.EndsWith(']'))
        {
            host = hostPort[..colon];
            if (!int.TryParse(hostPort[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
            {
                throw (upsEntry ?? new ConfigEntry("ups", target, section.File, section.Line)).Error($"'{hostPort[(colon + 1)..]}' is not a port");
            }
        }

        host = host.Trim('[', ']');
        if (ups.Length == 0 || host.Length == 0)
        {
            throw (upsEntry ?? new ConfigEntry("ups", target, section.File, section.Line)).Error($"'{target}' is not UPS@HOST[:PORT]");
        }

        if (user is null || password is null)
        {
            throw section.Error($"monitor {label}: a remote UPS needs user and password (a [user] with upsmon rights on {host})");
        }

        return new MonitorConfig(label, ups, host, port, powerValue, user, password, role ?? MonitorRole.Secondary, section) { Tls = tls.Finish() };
    }

    private static (NotifyType, string) TypeAndRest(ConfigEntry e)
    {
        string value = e.Value.Trim();
        int space = value.IndexOfAny([' ', '\t']);
        string word = space < 0 ? value : value[..space];
        if (!NotifyTypeNames.TryParse(word, out NotifyType type))
        {
            throw e.Error($"'{word}' is not a notification type (ONLINE, ONBATT, LOWBATT, FSD, COMMOK, COMMBAD, SHUTDOWN, REPLBATT, NOCOMM, ...)");
        }

        return (type, space < 0 ? string.Empty : value[(space + 1)..]);
    }

    private static HookConfig Hook(ConfigEntry e)
    {
        string[] words = e.Value.Split((char[]?)null, 3, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length < 3 || !int.TryParse(words[1], NumberStyles.None, CultureInfo.InvariantCulture, out int seconds) || seconds is < 1 or > 3600)
        {
            throw e.Error("expected 'hook = NAME SECONDS COMMAND' with SECONDS from 1 to 3600");
        }

        return new HookConfig(words[0], TimeSpan.FromSeconds(seconds), words[2]);
    }

    private static TimerRuleConfig TimerRule(ConfigEntry e)
    {
        string[] words = e.Value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length < 3 || !NotifyTypeNames.TryParse(words[0], out NotifyType type))
        {
            throw e.Error("expected 'at = TYPE UPS|* START-TIMER NAME SECONDS | CANCEL-TIMER NAME [COMMAND] | EXECUTE COMMAND'");
        }

        string action = words[2].ToUpperInvariant();
        switch (action)
        {
            case "START-TIMER":
                if (words.Length != 5 || !int.TryParse(words[4], NumberStyles.None, CultureInfo.InvariantCulture, out int seconds))
                {
                    throw e.Error("START-TIMER takes a timer name and whole seconds");
                }

                return new TimerRuleConfig(type, words[1], action, words[3], TimeSpan.FromSeconds(seconds), null, e);
            case "CANCEL-TIMER":
                if (words.Length < 4)
                {
                    throw e.Error("CANCEL-TIMER takes a timer name and optionally a command");
                }

                return new TimerRuleConfig(type, words[1], action, words[3], null, words.Length > 4 ? string.Join(' ', words[4..]) : null, e);
            case "EXECUTE":
                if (words.Length < 4)
                {
                    throw e.Error("EXECUTE takes a command");
                }

                return new TimerRuleConfig(type, words[1], action, null, null, string.Join(' ', words[3..]), e);
            default:
                throw e.Error($"'{words[2]}' is not START-TIMER, CANCEL-TIMER or EXECUTE");
        }
    }

    private static TimeSpan Seconds(ConfigEntry e, int min) => TimeSpan.FromSeconds(AgentConfigLoader.ParseInt(e, min, 86_400));

    private static TimeSpan? OptionalSeconds(ConfigEntry e) => e.Value is "none" or "" ? null : Seconds(e, 1);

    private static double Percent(ConfigEntry e) =>
        double.TryParse(e.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value > 0 && value <= 100
            ? value
            : throw e.Error($"'{e.Value}' is not a percentage above 0 and at most 100");
}
