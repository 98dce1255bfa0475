using System.Net;
using UpsAgent.Protocols.Snmp;
using UpsAgent.Servers.Snmp;

namespace UpsAgent.Configuration;

/// <summary>
/// Reads the [snmp] section: snmpd.conf's agentaddress, rocommunity/rwcommunity, createUser with
/// rouser/rwuser, trapsink/trap2sink/informsink and sys* lines in one place.
/// </summary>
internal static class SnmpConfigReader
{
    public static void Read(ConfigSection section, SnmpSettings snmp)
    {
        if (section.Name is not null)
        {
            throw section.Error("[snmp] takes no name");
        }

        bool listenSeen = false;
        foreach (ConfigEntry e in section.Entries)
        {
            switch (e.Key)
            {
                case "listen":
                    listenSeen = true;
                    if (e.Value != "none")
                    {
                        snmp.Listen.Add(AgentConfigLoader.ParseEndpoint(e.Value, SnmpSettings.DefaultPort)
                            ?? throw e.Error($"'{e.Value}' is not ADDRESS[:PORT] (e.g. 127.0.0.1:161)"));
                    }

                    break;
                case "community":
                    if (e.Value == "none")
                    {
                        snmp.CommunitiesDisabled = true;
                    }
                    else
                    {
                        snmp.Communities.Add(ParseCommunity(e));
                    }

                    break;
                case "user":
                    SnmpUser user = ParseUser(e);
                    if (snmp.Users.Any(u => u.Name == user.Name))
                    {
                        throw e.Error($"user '{user.Name}' is defined twice");
                    }

                    snmp.Users.Add(user);
                    break;
                case "trap":
                    snmp.TrapReceivers.Add(ParseTrapReceiver(e));
                    break;
                case "engine-id":
                    snmp.EngineId = SnmpEngineIdentity.TryParseHex(e.Value, out byte[]? engineId)
                        ? engineId
                        : throw e.Error($"'{e.Value}' is not 5 to 32 octets of hex (e.g. 0x80000000050102030405060708)");
                    break;
                case "state-file":
                    // Like file = in [ups]: relative to the configuration file.
                    snmp.StateFile = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(e.File)) ?? ".", e.Value);
                    break;
                case "ups":
                    snmp.Ups = e.Value;
                    break;
                case "description":
                    snmp.Description = e.Value;
                    break;
                case "object-id":
                    snmp.ObjectId = ObjectIdentifier.TryParse(e.Value, out _) ? e.Value : throw e.Error($"'{e.Value}' is not a dotted OID such as 1.3.6.1.2.1.33");
                    break;
                case "contact":
                    snmp.Contact = e.Value;
                    break;
                case "name":
                    snmp.Name = e.Value;
                    break;
                case "location":
                    snmp.Location = e.Value;
                    break;
                default:
                    throw e.Error("unknown key in [snmp]; expected listen, community, user, trap, engine-id, state-file, ups, description, object-id, contact, name or location");
            }
        }

        // Like Debian's snmpd: a section without listen lines serves loopback on the standard port.
        if (!listenSeen)
        {
            snmp.Listen.Add(new IPEndPoint(IPAddress.Loopback, SnmpSettings.DefaultPort));
        }
    }

    /// <summary>"NAME [ro|rw] [SOURCE]"; read-only unless rw is written out; SOURCE is default (any), localhost, an address or a network.</summary>
    private static SnmpCommunity ParseCommunity(ConfigEntry e)
    {
        string[] words = Words(e);
        if (words.Length is 0 or > 3)
        {
            throw e.Error($"'{e.Value}' is not NAME [ro|rw] [SOURCE]");
        }

        SnmpAccess access = words.Length == 1 ? SnmpAccess.ReadOnly : ParseAccess(e, words[1]);
        IPNetwork? source = words.Length < 3 ? null : words[2].ToLowerInvariant() switch
        {
            "default" or "any" => null,
            "localhost" => SnmpCommunity.Loopback,
            _ when IPNetwork.TryParse(words[2], out IPNetwork network) => network,
            _ when IPAddress.TryParse(words[2], out IPAddress? address) => new IPNetwork(address, address.GetAddressBytes().Length * 8),
            _ => throw e.Error($"'{words[2]}' is not default, localhost, an address or a network such as 192.168.1.0/24"),
        };
        return new SnmpCommunity(words[0], access, source);
    }

    /// <summary>"NAME SHA|SHA-256|MD5 AUTHPASS [AES PRIVPASS] [ro|rw]", net-snmp's createUser plus rouser/rwuser.</summary>
    private static SnmpUser ParseUser(ConfigEntry e)
    {
        string[] words = Words(e);
        const string Usage = "NAME SHA|SHA-256 AUTHPASS [AES PRIVPASS] [ro|rw]";
        if (words.Length < 3)
        {
            throw e.Error($"'{e.Value}' is not {Usage}");
        }

        if (words[0].Length > SnmpV3MessageCodec.MaxUserNameLength)
        {
            throw e.Error($"user name '{words[0]}' is longer than {SnmpV3MessageCodec.MaxUserNameLength} characters");
        }

        UsmAuthProtocol auth = words[1].ToUpperInvariant() switch
        {
            "SHA" or "SHA1" or "SHA-1" => UsmAuthProtocol.Sha1,
            "SHA-256" or "SHA256" => UsmAuthProtocol.Sha256,
            "MD5" => UsmAuthProtocol.Md5,
            _ => throw e.Error($"'{words[1]}' is not an authentication protocol (SHA, SHA-256 or MD5)"),
        };
        string authPassword = Password(e, words[2]);
        int at = 3;
        UsmPrivProtocol priv = UsmPrivProtocol.None;
        string? privPassword = null;
        if (words.Length > at && words[at].ToUpperInvariant() is "AES" or "AES128" or "AES-128")
        {
            if (words.Length <= at + 1)
            {
                throw e.Error($"AES needs a privacy pass phrase: {Usage}");
            }

            priv = UsmPrivProtocol.Aes128;
            privPassword = Password(e, words[at + 1]);
            at += 2;
        }
        else if (words.Length > at && words[at].ToUpperInvariant().StartsWith("DES", StringComparison.Ordinal))
        {
            throw e.Error("DES privacy is not supported; use AES");
        }

        SnmpAccess access = words.Length > at ? ParseAccess(e, words[at++]) : SnmpAccess.ReadOnly;
        if (words.Length > at)
        {
            throw e.Error($"'{words[at]}' is unexpected; the form is {Usage}");
        }

        return new SnmpUser(words[0], auth, authPassword, priv, privPassword, access);
    }

    /// <summary>"1|2c|inform COMMUNITY ADDRESS[:PORT]": net-snmp's trapsink, trap2sink and informsink.</summary>
    private static SnmpTrapReceiver ParseTrapReceiver(ConfigEntry e)
    {
        string[] words = Words(e);
        if (words.Length != 3)
        {
            throw e.Error($"'{e.Value}' is not 1|2c|inform COMMUNITY ADDRESS[:PORT]");
        }

        SnmpNotificationKind kind = words[0].ToLowerInvariant() switch
        {
            "1" or "v1" => SnmpNotificationKind.TrapV1,
            "2c" or "v2c" => SnmpNotificationKind.TrapV2c,
            "inform" => SnmpNotificationKind.InformV2c,
            _ => throw e.Error($"'{words[0]}' is not 1, 2c or inform"),
        };
        IPEndPoint endpoint = AgentConfigLoader.ParseEndpoint(words[2], SnmpSettings.DefaultTrapPort)
            ?? throw e.Error($"'{words[2]}' is not ADDRESS[:PORT] (e.g. 192.168.1.10:162)");
        return new SnmpTrapReceiver(kind, words[1], endpoint);
    }

    private static string Password(ConfigEntry e, string password) =>
        password.Length >= UsmKeys.MinimumPasswordLength
            ? password
            : throw e.Error($"a USM pass phrase needs at least {UsmKeys.MinimumPasswordLength} characters (net-snmp refuses shorter ones)");

    private static SnmpAccess ParseAccess(ConfigEntry e, string word) => word.ToLowerInvariant() switch
    {
        "ro" => SnmpAccess.ReadOnly,
        "rw" => SnmpAccess.ReadWrite,
        _ => throw e.Error($"'{word}' is not ro or rw"),
    };

    private static string[] Words(ConfigEntry e) => e.Value.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);

    /// <summary>What the SNMP agent runs with; only called when <see cref="SnmpSettings.Enabled"/>.</summary>
    public static SnmpAgentOptions ToOptions(SnmpSettings snmp)
    {
        var options = new SnmpAgentOptions
        {
            Listen = snmp.Listen.ToList(),
            Communities = snmp.CommunitiesDisabled ? [] : snmp.Communities.Count > 0 ? snmp.Communities.ToList() : [SnmpCommunity.LoopbackPublic],
            Users = snmp.Users.ToList(),
            TrapReceivers = snmp.TrapReceivers.ToList(),
            EngineStateFile = snmp.StateFile ?? (snmp.Users.Count > 0 ? SnmpSettings.DefaultStateFile : null),
            Ups = snmp.Ups,
            Description = snmp.Description,
            ObjectId = snmp.ObjectId is null ? UpsMibOids.UpsMib : ObjectIdentifier.Parse(snmp.ObjectId),
            Contact = snmp.Contact ?? string.Empty,
            Location = snmp.Location ?? string.Empty,
            Name = snmp.Name ?? Environment.MachineName,
        };
        return snmp.EngineId is { } engineId ? options with { EngineId = engineId, EngineIdConfigured = true } : options;
    }
}
