using System.Globalization;

namespace UpsAgent.Tui.Status;

/// <summary>
/// The text of the console's status pane: a UPS table (status, charge, runtime, data state), the
/// arrays' lines and the shutdown monitor's verdicts, or why there is nothing to show.
/// </summary>
public static class StatusPane
{
    public static IReadOnlyList<string> Render(AgentStatus status)
    {
        var lines = new List<string>
        {
            $"{"UPS",-16} {"STATUS",-16} {"CHARGE",6} {"RUNTIME",8}  DATA",
        };
        foreach (UpsRow u in status.Ups)
        {
            lines.Add($"{u.Name,-16} {u.Status,-16} {Charge(u.ChargePercent),6} {Runtime(u.RuntimeSeconds),8}  {DataState(u.DataState)}");
        }

        if (status.Ups.Count == 0)
        {
            lines.Add("(no UPS configured)");
        }

        if (status.Sections.TryGetValue("raid", out IReadOnlyList<string>? raid) && raid.Count > 0)
        {
            lines.AddRange(raid.Select((l, i) => (i == 0 ? "RAID      " : "          ") + l));
        }
        else
        {
            lines.Add("RAID      no arrays configured");
        }

        if (status.Sections.TryGetValue("shutdown", out IReadOnlyList<string>? shutdown))
        {
            // The configured command is the same every refresh; "status" still shows it.
            var verdicts = shutdown.Where(l => !l.StartsWith("command:", StringComparison.Ordinal)).ToList();
            lines.AddRange(verdicts.Select((l, i) => (i == 0 ? "SHUTDOWN  " : "          ") + l));
        }
        else
        {
            lines.Add("SHUTDOWN  no shutdown monitor configured");
        }

        return lines;
    }

    public static IReadOnlyList<string> NoAgent(string address, TimeSpan retry)
    {
        var lines = new List<string>
        {
            $"No agent is answering on control socket {address}.",
            $"Retrying every {retry.TotalSeconds:0} s. Start the agent with 'upsagent run' (or its systemd unit);",
            "'upsagent repl' runs commands in-process without an agent.",
        };
        if (File.Exists(address))
        {
            // The socket is the owner's only (0600): a stopped agent and a wrong user look alike.
            lines.Add("The socket file exists: the agent stopped uncleanly, or it belongs to another user (sudo?).");
        }

        return lines;
    }

    /// <summary>
    /// The lines as rows of at most <paramref name="width"/> columns: a long line breaks at the last space
    /// that fits (mid-word only when no space does), and its further rows hang under its text column, so
    /// "RAID      md0: ..." continues under "md0". A width under 1 (not laid out yet) leaves the lines whole.
    /// </summary>
    public static IReadOnlyList<string> Wrap(IReadOnlyList<string> lines, int width)
    {
        if (width < 1)
        {
            return lines;
        }

        var rows = new List<string>(lines.Count);
        foreach (string line in lines)
        {
            string text = line.TrimEnd();
            if (text.Length <= width)
            {
                rows.Add(text);
                continue;
            }

            string indent = new(' ', HangingIndent(text, width));
            string row = text;
            bool first = true;
            while (row.Length > width)
            {
                int room = first ? width : width - indent.Length;
                string rest = first ? row : row[indent.Length..];
                int cut = rest.LastIndexOf(' ', room);
                if (cut <= 0 || rest[..cut].Trim().Length == 0)
                {
                    cut = room;
                }

                rows.Add((first ? "" : indent) + rest[..cut].TrimEnd());
                row = indent + rest[cut..].TrimStart();
                first = false;
            }

            rows.Add(row);
        }

        return rows;
    }

    /// <summary>Where a line's text starts: after its leading spaces, or after the gap that ends a label ("RAID      "); at least 2.</summary>
    private static int HangingIndent(string line, int width)
    {
        int column = line.Length - line.TrimStart(' ').Length;
        if (column == 0)
        {
            int gap = line.IndexOf("  ", StringComparison.Ordinal);
            if (gap > 0)
            {
                column = gap;
                while (column < line.Length && line[column] == ' ')
                {
                    column++;
                }
            }
        }

        return column >= 2 && column <= width / 2 ? column : Math.Min(2, width / 2);
    }

    private static string Charge(string percent) =>
        double.TryParse(percent, NumberStyles.Float, CultureInfo.InvariantCulture, out double p)
            ? string.Create(CultureInfo.InvariantCulture, $"{p:0}%")
            : "-";

    private static string Runtime(string seconds)
    {
        if (!double.TryParse(seconds, NumberStyles.Float, CultureInfo.InvariantCulture, out double s) || s < 0)
        {
            return "-";
        }

        var t = TimeSpan.FromSeconds(Math.Round(s));
        return t.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours}h{t.Minutes:00}m")
            : string.Create(CultureInfo.InvariantCulture, $"{t.Minutes}m{t.Seconds:00}s");
    }

    private static string DataState(string state) => state switch
    {
        "Fresh" => "fresh",
        "Waiting" => "waiting for driver",
        "Stale" => "STALE",
        "NotConnected" => "NO DRIVER",
        _ => state,
    };
}
