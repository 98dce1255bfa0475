using UpsAgent.Console.Repl;

namespace UpsAgent.Tui.Status;

/// <summary>The agent's state as read from one "status tsv" reply: who answered, the UPSes, each engine's lines.</summary>
public sealed record AgentStatus(string Where, IReadOnlyList<UpsRow> Ups, IReadOnlyDictionary<string, IReadOnlyList<string>> Sections)
{
    /// <summary>Reads the records; unknown record kinds are skipped so a newer agent can add some.</summary>
    public static AgentStatus Parse(IEnumerable<string> lines)
    {
        string where = string.Empty;
        var ups = new List<UpsRow>();
        var sections = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        List<string>? current = null;
        foreach (string line in lines)
        {
            string[] f = StatusRecord.Split(line);
            switch (f[0])
            {
                case "agent" when f.Length >= 2:
                    where = f[1];
                    break;
                case "ups" when f.Length >= 7:
                    ups.Add(new UpsRow(f[1], f[2], f[3], f[4], f[5], f[6]));
                    break;
                case "section" when f.Length >= 2:
                    current = [];
                    sections[f[1]] = current;
                    break;
                case "line" when f.Length >= 2 && current is not null:
                    current.Add(f[1]);
                    break;
            }
        }

        return new AgentStatus(where, ups, sections);
    }
}
