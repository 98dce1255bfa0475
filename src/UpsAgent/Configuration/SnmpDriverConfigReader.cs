using System.Globalization;
using UpsAgent.Drivers.Snmp;
using UpsAgent.Protocols.Snmp;

namespace UpsAgent.Configuration;

/// <summary>
/// The keys of a <c>[ups NAME]</c> section with <c>driver = snmp</c>, named as NUT's snmp-ups
/// options are in ups.conf where they exist (community, mibs, pollinterval).
/// </summary>
public static class SnmpDriverConfigReader
{
    public static IReadOnlyList<string> Keys { get; } = ["host", "port", "community", "version", "mibs", "pollinterval", "timeout", "retries"];

    /// <exception cref="ConfigException">A key is unknown, a value bad, or host missing.</exception>
    public static SnmpDriverOptions Read(UpsSettings ups, IReadOnlyCollection<string> commonKeys)
    {
        string? host = null;
        var options = new SnmpDriverOptions { Host = "-" };
        SnmpClientOptions client = options.Client;
        foreach (ConfigEntry e in ups.Section.Entries)
        {
            switch (e.Key)
            {
                case "host":
                    host = e.Value.Trim();
                    if (host.Length == 0 || host.Any(char.IsWhiteSpace))
                    {
                        throw e.Error($"'{e.Value}' is not a host name or address");
                    }

                    break;
                case "port":
                    options = options with { Port = Integer(e, 1, 65_535, "a UDP port (1-65535)") };
                    break;
                case "community":
                    options = options with { Community = e.Value };
                    break;
                case "version":
                    options = options with
                    {
                        Version = e.Value.ToLowerInvariant() switch
                        {
                            "1" or "v1" => SnmpVersion.V1,
                            "2c" or "v2c" => SnmpVersion.V2c,
                            _ => throw e.Error($"'{e.Value}' is not an SNMP version this driver speaks; expected 1 or 2c"),
                        },
                    };
                    break;
                case "mibs":
                    options = options with
                    {
                        Mibs = e.Value.ToLowerInvariant() switch
                        {
                            "auto" => SnmpMibChoice.Auto,
                            "ietf" => SnmpMibChoice.Ietf,
                            "apc" or "apcc" => SnmpMibChoice.Apc,
                            _ => throw e.Error($"'{e.Value}' is not a MIB this driver reads; expected auto, ietf or apc"),
                        },
                    };
                    break;
                case "pollinterval":
                    options = options with { PollInterval = Seconds(e, 0.1, 3600) };
                    break;
                case "timeout":
                    client = client with { Timeout = Seconds(e, 0.01, 60) };
                    break;
                case "retries":
                    client = client with { Retries = Integer(e, 0, 20, "a number of retries (0-20)") };
                    break;
                default:
                    if (!commonKeys.Contains(e.Key))
                    {
                        throw e.Error($"unknown key for driver 'snmp'; expected {string.Join(", ", commonKeys.Concat(Keys))}");
                    }

                    break;
            }
        }

        if (host is null)
        {
            ConfigEntry? driver = ups.Section.Entries.LastOrDefault(x => x.Key == "driver");
            const string problem = "driver 'snmp' needs 'host = ADDRESS' (the UPS network card)";
            throw driver?.Error(problem) ?? ups.Section.Error(problem);
        }

        return options with { Host = host, Client = client };
    }

    private static int Integer(ConfigEntry e, int minimum, int maximum, string what) =>
        int.TryParse(e.Value, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value >= minimum && value <= maximum
            ? value
            : throw e.Error($"'{e.Value}' is not {what}");

    private static TimeSpan Seconds(ConfigEntry e, double minimum, double maximum) =>
        double.TryParse(e.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) && seconds >= minimum && seconds <= maximum
            ? TimeSpan.FromSeconds(seconds)
            : throw e.Error(FormattableString.Invariant($"'{e.Value}' is not a number of seconds from {minimum} to {maximum}"));
}
