using System.Globalization;
using System.Net.Sockets;
using UpsAgent.Drivers.Snmp;
using UpsAgent.Protocols.Snmp;

namespace UpsAgent.Cli;

/// <summary>
/// "upsagent snmp get|walk": net-snmp's snmpget and snmpwalk/snmpbulkwalk for any agent, with the
/// manager driver's client. The REPL's "snmp" commands run the same code.
/// </summary>
public static class SnmpVerb
{
    private static readonly OptionSpec Version = new("--version", "1|2c|3", "SNMP version (default 2c)", "-v");
    private static readonly OptionSpec Community = new("--community", "COMMUNITY", "community for v1/v2c (default public)", "-c");
    private static readonly OptionSpec User = new("--user", "NAME", "SNMPv3 user (secName)", "-u");
    private static readonly OptionSpec Level = new("--level", "LEVEL", "noAuthNoPriv | authNoPriv | authPriv (default: from the pass phrases given)", "-l");
    private static readonly OptionSpec AuthProtocol = new("--auth-protocol", "MD5|SHA|SHA-256", "authentication protocol (default SHA)", "-a");
    private static readonly OptionSpec AuthPassword = new("--auth-password", "PASS", "authentication pass phrase", "-A");
    private static readonly OptionSpec PrivProtocol = new("--priv-protocol", "AES", "privacy protocol (AES-128)", "-x");
    private static readonly OptionSpec PrivPassword = new("--priv-password", "PASS", "privacy pass phrase", "-X");
    private static readonly OptionSpec Context = new("--context", "NAME", "SNMPv3 context name (default empty)", "-n");
    private static readonly OptionSpec Timeout = new("--timeout", "SECONDS", "wait per try (default 1)", "-t");
    private static readonly OptionSpec Retries = new("--retries", "N", "tries after the first (default 5)", "-r");

    public static IReadOnlyList<OptionSpec> Options { get; } =
        [Version, Community, User, Level, AuthProtocol, AuthPassword, PrivProtocol, PrivPassword, Context, Timeout, Retries];

    public const string Usage = "snmp get|walk [-v 1|2c|3] [-c COMMUNITY] [v3 options] HOST[:PORT] OID...";

    public static CliVerb Create() => new(
        "snmp",
        Usage,
        "Ask any SNMP agent (a UPS network card, snmpd, this agent) for objects, like snmpget and snmpwalk.",
        """
          snmp get HOST[:PORT] OID...   one GET of the objects (snmpget)
          snmp walk HOST[:PORT] [OID]   every object under OID, default 1.3.6.1.2.1 (GetNext for v1 as
                                        snmpwalk, GetBulk for v2c and v3 as snmpbulkwalk)
        OIDs are numeric (1.3.6.1.2.1.33.1.2.4.0); output is net-snmp's -On form. SNMPv3 takes -u, -l,
        -a/-A, -x/-X and -n as net-snmp's tools do (SHA, SHA-256 or MD5; AES-128).
        Exit codes: 0 answered, 1 no answer or an error in the answer, 2 a bad command line.
        """,
        Options,
        (args, ct) => RunAsync(args, System.Console.Out, ct));

    /// <summary>Runs "get" or "walk" from parsed words; the first positional word is the subcommand.</summary>
    /// <exception cref="UsageException">The words are not a valid request.</exception>
    public static async Task<int> RunAsync(ParsedArguments args, TextWriter output, CancellationToken cancellationToken)
    {
        if (args.Positional.Count < 2)
        {
            throw new UsageException($"usage: upsagent {Usage}");
        }

        string command = args.Positional[0];
        if (command is not ("get" or "walk"))
        {
            throw new UsageException($"snmp: unknown subcommand '{command}' (get, walk)");
        }

        (string host, int port) = ParseTarget(args.Positional[1]);
        List<ObjectIdentifier> oids = args.Positional.Skip(2).Select(ParseOid).ToList();
        if (command == "get" && oids.Count == 0)
        {
            throw new UsageException("snmp get: give at least one OID");
        }

        if (command == "walk" && oids.Count > 1)
        {
            throw new UsageException("snmp walk: give at most one OID");
        }

        ISnmpMessageModel model = MessageModel(args);
        var options = new SnmpClientOptions
        {
            Timeout = TimeSpan.FromSeconds(Number(args, Timeout, 0.01, 60, 1)),
            Retries = (int)Number(args, Retries, 0, 20, 5),
        };
        ISnmpTransport transport;
        try
        {
            transport = await UdpSnmpTransport.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            output.WriteLine($"snmp {command}: {host}: {e.Message}");
            return 1;
        }

        await using var client = new SnmpClient(transport, model, options);
        try
        {
            return command == "get"
                ? await GetAsync(client, oids, output, cancellationToken).ConfigureAwait(false)
                : await WalkAsync(client, oids.Count == 1 ? oids[0] : ObjectIdentifier.Parse("1.3.6.1.2.1"), output, cancellationToken).ConfigureAwait(false);
        }
        catch (SnmpTimeoutException)
        {
            output.WriteLine($"Timeout: No Response from {client.Peer}.");
            return 1;
        }
        catch (SnmpClientException e)
        {
            output.WriteLine($"snmp {command}: {e.Message}");
            return 1;
        }
    }

    private static async Task<int> GetAsync(SnmpClient client, List<ObjectIdentifier> oids, TextWriter output, CancellationToken cancellationToken)
    {
        SnmpPdu answer = await client.GetAsync(oids, cancellationToken).ConfigureAwait(false);
        if (answer.ErrorStatus != 0)
        {
            output.WriteLine($"Error in packet");
            output.WriteLine($"Reason: {(SnmpErrorStatus)answer.ErrorStatus}");
            if (answer.ErrorIndex >= 1 && answer.ErrorIndex <= oids.Count)
            {
                output.WriteLine($"Failed object: .{oids[answer.ErrorIndex - 1]}");
            }

            return 1;
        }

        foreach (VarBind varBind in answer.VarBinds)
        {
            output.WriteLine(SnmpVarBindText.Format(varBind));
        }

        return 0;
    }

    private static async Task<int> WalkAsync(SnmpClient client, ObjectIdentifier root, TextWriter output, CancellationToken cancellationToken)
    {
        List<VarBind> found = await client.WalkAsync(root, cancellationToken).ConfigureAwait(false);
        if (found.Count == 0)
        {
            // snmpwalk then tries the OID itself, for a walk of a scalar instance.
            SnmpPdu answer = await client.GetAsync([root], cancellationToken).ConfigureAwait(false);
            if (answer.ErrorStatus == 0 && answer.VarBinds.Count == 1 && !answer.VarBinds[0].Value.IsException)
            {
                found.Add(answer.VarBinds[0]);
            }
            else
            {
                output.WriteLine($".{root} = No Such Object available on this agent at this OID");
                return 0;
            }
        }

        foreach (VarBind varBind in found)
        {
            output.WriteLine(SnmpVarBindText.Format(varBind));
        }

        return 0;
    }

    private static ISnmpMessageModel MessageModel(ParsedArguments args)
    {
        string version = args.Value(Version.Name) ?? "2c";
        switch (version.ToLowerInvariant())
        {
            case "1":
                return new CommunityMessageModel(SnmpVersion.V1, args.Value(Community.Name) ?? "public");
            case "2c":
                return new CommunityMessageModel(SnmpVersion.V2c, args.Value(Community.Name) ?? "public");
            case "3":
                break;
            default:
                throw new UsageException($"snmp: version '{version}' is not 1, 2c or 3");
        }

        string user = args.Value(User.Name) ?? throw new UsageException("snmp: SNMPv3 needs -u USER");
        string? authPassword = args.Value(AuthPassword.Name);
        string? privPassword = args.Value(PrivPassword.Name);
        string level = (args.Value(Level.Name) ?? (privPassword is not null ? "authPriv" : authPassword is not null ? "authNoPriv" : "noAuthNoPriv")).ToLowerInvariant();
        if (level is not ("noauthnopriv" or "authnopriv" or "authpriv"))
        {
            throw new UsageException($"snmp: level '{args.Value(Level.Name)}' is not noAuthNoPriv, authNoPriv or authPriv");
        }

        UsmAuthProtocol auth = level == "noauthnopriv" ? UsmAuthProtocol.None : (args.Value(AuthProtocol.Name) ?? "SHA").ToUpperInvariant() switch
        {
            "MD5" => UsmAuthProtocol.Md5,
            "SHA" or "SHA1" or "SHA-1" => UsmAuthProtocol.Sha1,
            "SHA-256" or "SHA256" => UsmAuthProtocol.Sha256,
            string other => throw new UsageException($"snmp: authentication protocol '{other}' is not MD5, SHA or SHA-256"),
        };
        UsmPrivProtocol priv = level != "authpriv" ? UsmPrivProtocol.None : (args.Value(PrivProtocol.Name) ?? "AES").ToUpperInvariant() switch
        {
            "AES" or "AES128" or "AES-128" => UsmPrivProtocol.Aes128,
            string other => throw new UsageException($"snmp: privacy protocol '{other}' is not AES"),
        };
        try
        {
            return new UsmMessageModel(new SnmpV3Settings
            {
                UserName = user,
                AuthProtocol = auth,
                AuthPassword = authPassword,
                PrivProtocol = priv,
                PrivPassword = privPassword,
                Context = args.Value(Context.Name) ?? string.Empty,
            });
        }
        catch (ArgumentException e)
        {
            throw new UsageException("snmp: " + e.Message.Split(" (Parameter", 2)[0]);
        }
    }

    /// <summary>HOST, HOST:PORT, [V6]:PORT or a bare IPv6 address; port 161 by default.</summary>
    public static (string Host, int Port) ParseTarget(string text)
    {
        string host = text;
        int port = 161;
        int colon = text.LastIndexOf(':');
        bool bracketed = text.StartsWith('[');
        if (colon > 0 && (bracketed ? text[colon - 1] == ']' : text.IndexOf(':') == colon))
        {
            host = text[..colon];
            if (!int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65_535)
            {
                throw new UsageException($"snmp: '{text}' has no valid port after the ':'");
            }
        }

        host = host.Trim('[', ']');
        return host.Length == 0 ? throw new UsageException("snmp: give the agent as HOST[:PORT]") : (host, port);
    }

    private static ObjectIdentifier ParseOid(string text) =>
        ObjectIdentifier.TryParse(text, out ObjectIdentifier? oid)
            ? oid
            : throw new UsageException($"snmp: '{text}' is not a numeric OID such as 1.3.6.1.2.1.1.1.0");

    private static double Number(ParsedArguments args, OptionSpec option, double minimum, double maximum, double fallback)
    {
        string? text = args.Value(option.Name);
        if (text is null)
        {
            return fallback;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value >= minimum && value <= maximum
            ? value
            : throw new UsageException(FormattableString.Invariant($"snmp: {option.Name} '{text}' is not a number from {minimum} to {maximum}"));
    }
}
