using UpsAgent.Drivers.Nut;

namespace UpsAgent.Configuration;

/// <summary>
/// The keys of a <c>[ups NAME]</c> section with <c>driver = nut</c>: <c>port = UPS@HOST[:PORT]</c> as
/// NUT's dummy-ups takes it in repeater mode, and the user that forwards SET VAR and INSTCMD.
/// </summary>
public static class NutDriverConfigReader
{
    public static IReadOnlyList<string> Keys { get; } = ["port", "username", "password", "pollinterval", "timeout", .. NutTlsConfig.Keys];

    /// <exception cref="ConfigException">A key is unknown, a value bad, or port missing.</exception>
    public static NutDriverOptions Read(UpsSettings ups, IReadOnlyCollection<string> commonKeys)
    {
        NutDriverOptions? options = null;
        string? username = null;
        string? password = null;
        ConfigEntry? credentials = null;
        TimeSpan pollInterval = TimeSpan.FromSeconds(2);
        TimeSpan timeout = TimeSpan.FromSeconds(5);
        var tls = new NutTlsConfig();
        foreach (ConfigEntry e in ups.Section.Entries)
        {
            if (tls.TryRead(e))
            {
                continue;
            }

            switch (e.Key)
            {
                case "port":
                    (string Ups, string Host, int Port) target = NutDriverOptions.ParseTarget(e.Value.Trim(), out string? problem)
                        ?? throw e.Error($"'{e.Value}' is not a NUT UPS: {problem}");
                    options = new NutDriverOptions { Ups = target.Ups, Host = target.Host, Port = target.Port };
                    break;
                case "username":
                    username = e.Value;
                    credentials = e;
                    break;
                case "password":
                    password = e.Value;
                    credentials = e;
                    break;
                case "pollinterval":
                    pollInterval = ConfigValues.Seconds(e, 0.1, 3600);
                    break;
                case "timeout":
                    timeout = ConfigValues.Seconds(e, 0.1, 300);
                    break;
                default:
                    ConfigValues.RequireKnown(e, "nut", commonKeys, Keys);
                    break;
            }
        }

        if (options is null)
        {
            ConfigEntry? driver = ups.Section.Entries.LastOrDefault(x => x.Key == "driver");
            const string problem = "driver 'nut' needs 'port = UPS@HOST[:PORT]' (the UPS on the other NUT server)";
            throw driver?.Error(problem) ?? ups.Section.Error(problem);
        }

        if ((username is null) != (password is null))
        {
            throw credentials!.Error("'username' and 'password' go together (a user of the other server's upsd.users)");
        }

        return options with { Username = username, Password = password, PollInterval = pollInterval, Timeout = timeout, Tls = tls.Finish() };
    }
}
