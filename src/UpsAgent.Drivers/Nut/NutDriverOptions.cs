namespace UpsAgent.Drivers.Nut;

/// <summary>
/// What one <c>[ups NAME]</c> section with <c>driver = nut</c> says: the UPS on another NUT server to
/// repeat, as NUT's dummy-ups does with <c>port = ups@host:port</c>.
/// </summary>
public sealed record NutDriverOptions
{
    /// <summary>The UPS's name on the other server.</summary>
    public required string Ups { get; init; }

    public required string Host { get; init; }

    public int Port { get; init; } = 3493;

    /// <summary>A user of the other server's upsd.users, needed only to forward SET VAR and INSTCMD.</summary>
    public string? Username { get; init; }

    public string? Password { get; init; }

    /// <summary>STARTTLS towards the other server (tried by default, as dummy-ups and upsmon do).</summary>
    public NutTlsOptions Tls { get; init; } = NutTlsOptions.Default;

    /// <summary>Time between polls (NUT's pollinterval; 2 s, as its drivers default to).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Limit for connecting and for each request.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a forwarded SET or INSTCMD may take on the other side before it counts as failed.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>"ups@host:port" as NUT's driver.parameter.port shows a repeated UPS.</summary>
    public string Target => Host.Contains(':', StringComparison.Ordinal) ? $"{Ups}@[{Host}]:{Port}" : $"{Ups}@{Host}:{Port}";

    /// <summary>
    /// Parses NUT's UPS name syntax <c>ups@host[:port]</c> (an IPv6 host in brackets), as upsc takes it.
    /// </summary>
    /// <returns>Null with a reason when the text is not of that form.</returns>
    public static (string Ups, string Host, int Port)? ParseTarget(string text, out string? problem)
    {
        problem = null;
        int at = text.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || at == text.Length - 1)
        {
            problem = "expected UPS@HOST[:PORT], e.g. ups@192.168.1.10:3493";
            return null;
        }

        string ups = text[..at];
        string rest = text[(at + 1)..];
        string host;
        string? portText = null;
        if (rest.StartsWith('['))
        {
            int close = rest.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || (close + 1 < rest.Length && rest[close + 1] != ':'))
            {
                problem = "an IPv6 address goes in brackets: UPS@[ADDRESS]:PORT";
                return null;
            }

            host = rest[1..close];
            portText = close + 1 < rest.Length ? rest[(close + 2)..] : null;
        }
        else
        {
            int colon = rest.LastIndexOf(':');
            if (colon >= 0 && rest.IndexOf(':', StringComparison.Ordinal) != colon)
            {
                problem = "an IPv6 address goes in brackets: UPS@[ADDRESS]:PORT";
                return null;
            }

            host = colon >= 0 ? rest[..colon] : rest;
            portText = colon >= 0 ? rest[(colon + 1)..] : null;
        }

        if (ups.Any(c => char.IsWhiteSpace(c) || c == '"') || host.Length == 0 || host.Any(char.IsWhiteSpace))
        {
            problem = "the UPS and host names may not be empty or hold spaces or quotes";
            return null;
        }

        int port = 3493;
        if (portText is not null && (!int.TryParse(portText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out port) || port is < 1 or > 65_535))
        {
            problem = $"'{portText}' is not a TCP port (1-65535)";
            return null;
        }

        return (ups, host, port);
    }
}
