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
    public static IReadOnlyList<string> Keys { get; } =
    [
        "host", "port", "community", "version", "mibs", "pollinterval", "timeout", "retries",
        "seclevel", "secname", "authprotocol", "authpassword", "privprotocol", "privpassword", "context",
    ];

    /// <exception cref="ConfigException">A key is unknown, a value bad, or host missing.</exception>
    public static SnmpDriverOptions Read(UpsSettings ups, IReadOnlyCollection<string> commonKeys)
    {
        string? host = null;
        var options = new SnmpDriverOptions { Host = "-" };
        SnmpClientOptions client = options.Client;
        ConfigEntry? level = null;
        ConfigEntry? userName = null;
        ConfigEntry? privProtocol = null;
        var v3 = new SnmpV3Settings { UserName = "-", AuthProtocol = UsmAuthProtocol.Md5 };
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
                    options = options with { Port = ConfigValues.Integer(e, 1, 65_535, "a UDP port (1-65535)") };
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
                            "3" or "v3" => SnmpVersion.V3,
                            _ => throw e.Error($"'{e.Value}' is not an SNMP version this driver speaks; expected 1, 2c or 3"),
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
                    options = options with { PollInterval = ConfigValues.Seconds(e, 0.1, 3600) };
                    break;
                case "timeout":
                    client = client with { Timeout = ConfigValues.Seconds(e, 0.01, 60) };
                    break;
                case "retries":
                    client = client with { Retries = ConfigValues.Integer(e, 0, 20, "a number of retries (0-20)") };
                    break;
                case "seclevel":
                    level = e.Value.ToLowerInvariant() is "noauthnopriv" or "authnopriv" or "authpriv"
                        ? e
                        : throw e.Error($"'{e.Value}' is not noAuthNoPriv, authNoPriv or authPriv");
                    break;
                case "secname":
                    userName = e;
                    break;
                case "authprotocol":
                    v3 = v3 with
                    {
                        AuthProtocol = e.Value.ToUpperInvariant().Replace("-", string.Empty, StringComparison.Ordinal) switch
                        {
                            "MD5" => UsmAuthProtocol.Md5,
                            "SHA" or "SHA1" => UsmAuthProtocol.Sha1,
                            "SHA256" => UsmAuthProtocol.Sha256,
                            _ => throw e.Error($"'{e.Value}' is not an authentication protocol this driver speaks; expected MD5, SHA or SHA256"),
                        },
                    };
                    break;
                case "privprotocol":
                    privProtocol = e.Value.ToUpperInvariant() is "AES" or "AES128"
                        ? e
                        : throw e.Error($"'{e.Value}' is not a privacy protocol this driver speaks; expected AES (AES-128, RFC 3826)");
                    break;
                case "authpassword":
                    v3 = v3 with { AuthPassword = e.Value };
                    break;
                case "privpassword":
                    v3 = v3 with { PrivPassword = e.Value };
                    break;
                case "context":
                    v3 = v3 with { Context = e.Value };
                    break;
                default:
                    ConfigValues.RequireKnown(e, "snmp", commonKeys, Keys);
                    break;
            }
        }

        if (host is null)
        {
            ConfigEntry? driver = ups.Section.Entries.LastOrDefault(x => x.Key == "driver");
            const string problem = "driver 'snmp' needs 'host = ADDRESS' (the UPS network card)";
            throw driver?.Error(problem) ?? ups.Section.Error(problem);
        }

        options = options with { Host = host, Client = client };
        if (options.Version != SnmpVersion.V3)
        {
            return options;
        }

        return options with { V3 = ReadV3(ups, v3, level, userName, privProtocol) };
    }

    /// <summary>NUT's secLevel/secName/auth*/priv*: noAuthNoPriv unless secLevel says more; MD5 as NUT's default hash.</summary>
    private static SnmpV3Settings ReadV3(UpsSettings ups, SnmpV3Settings v3, ConfigEntry? level, ConfigEntry? userName, ConfigEntry? privProtocol)
    {
        ConfigEntry where = level ?? userName ?? ups.Section.Entries.Last(x => x.Key == "version");
        if (userName is null || userName.Value.Length == 0)
        {
            throw where.Error("SNMPv3 needs 'secname = USER'");
        }

        string wanted = level?.Value.ToLowerInvariant() ?? "noauthnopriv";
        v3 = v3 with { UserName = userName.Value };
        if (wanted == "noauthnopriv")
        {
            v3 = v3 with { AuthProtocol = UsmAuthProtocol.None, PrivProtocol = UsmPrivProtocol.None };
        }
        else if (wanted == "authnopriv")
        {
            v3 = v3 with { PrivProtocol = UsmPrivProtocol.None };
        }
        else
        {
            // NUT's default privacy is DES, which this driver does not offer: say so rather than guess.
            v3 = v3 with { PrivProtocol = privProtocol is null ? throw where.Error("authPriv needs 'privprotocol = AES' (NUT's default DES is not supported)") : UsmPrivProtocol.Aes128 };
        }

        try
        {
            _ = new UsmMessageModel(v3);
        }
        catch (ArgumentException e)
        {
            throw where.Error(e.Message.Split(" (Parameter", 2)[0]);
        }

        return v3;
    }
}
