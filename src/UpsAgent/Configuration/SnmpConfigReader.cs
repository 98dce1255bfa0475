using System.Net;
using UpsAgent.Protocols.Snmp;
using UpsAgent.Servers.Snmp;

namespace UpsAgent.Configuration;

/// <summary>Reads the [snmp] section: snmpd.conf's agentaddress, rocommunity/rwcommunity and sys* lines in one place.</summary>
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
                    snmp.Communities.Add(ParseCommunity(e));
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
                    throw e.Error("unknown key in [snmp]; expected listen, community, ups, description, object-id, contact, name or location");
            }
        }

        // Like Debian's snmpd: a section without listen lines serves loopback on the standard port.
        if (!listenSeen)
        {
            snmp.Listen.Add(new IPEndPoint(IPAddress.Loopback, SnmpSettings.DefaultPort));
        }
    }

    /// <summary>"NAME" or "NAME ro|rw"; read-only unless rw is written out.</summary>
    private static SnmpCommunity ParseCommunity(ConfigEntry e)
    {
        string[] words = e.Value.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (words.Length is 0 or > 2)
        {
            throw e.Error($"'{e.Value}' is not NAME [ro|rw]");
        }

        SnmpAccess access = words.Length == 1 ? SnmpAccess.ReadOnly : words[1].ToLowerInvariant() switch
        {
            "ro" => SnmpAccess.ReadOnly,
            "rw" => SnmpAccess.ReadWrite,
            _ => throw e.Error($"'{words[1]}' is not ro or rw"),
        };
        return new SnmpCommunity(words[0], access);
    }

    /// <summary>What the SNMP agent runs with; only called when <see cref="SnmpSettings.Enabled"/>.</summary>
    public static SnmpAgentOptions ToOptions(SnmpSettings snmp) => new()
    {
        Listen = snmp.Listen.ToList(),
        Communities = snmp.Communities.Count > 0 ? snmp.Communities.ToList() : [new SnmpCommunity("public", SnmpAccess.ReadOnly)],
        Ups = snmp.Ups,
        Description = snmp.Description,
        ObjectId = snmp.ObjectId is null ? UpsMibOids.UpsMib : ObjectIdentifier.Parse(snmp.ObjectId),
        Contact = snmp.Contact ?? string.Empty,
        Location = snmp.Location ?? string.Empty,
        Name = snmp.Name ?? Environment.MachineName,
    };
}
