using System.Globalization;
using System.Text.RegularExpressions;

namespace UpsAgent.Backup.Media;

/// <summary>
/// What "xorriso -outdev DRIVE -toc" says about the medium in a drive, parsed from lines such as
/// <code>
/// Media current: DVD+RW
/// Media status : is written , is appendable
/// Media blocks : 192 readable , 40402052 writable , 40402244 overall
/// ISO session  :   1 ,         0 ,       184s , TESTV
/// Media nwa    : 192s
/// </code>
/// (xorriso 1.5.4, also for a "stdio:" file standing in for a drive).
/// </summary>
public sealed partial record XorrisoToc(
    string MediaType,
    MediumState State,
    long ReadableBlocks,
    long WritableBlocks,
    long OverallBlocks,
    long? NextWritableLba,
    IReadOnlyList<MediumSession> Sessions)
{
    /// <summary>DVD+RW, DVD-RW (restricted overwrite), BD-RE, DVD-RAM and files can be overwritten in place.</summary>
    public bool Overwritable => MediaType.Contains("overwriteable", StringComparison.OrdinalIgnoreCase)
        || MediaType.Contains("restricted overwrite", StringComparison.OrdinalIgnoreCase)
        || MediaType is "DVD+RW" or "BD-RE" or "DVD-RAM";

    public bool Rewritable => Overwritable || MediaType.Contains("RW", StringComparison.Ordinal) || MediaType.Contains("-RE", StringComparison.Ordinal);

    public static XorrisoToc Parse(string output, string drive)
    {
        string? type = null;
        MediumState? state = null;
        long readable = 0, writable = 0, overall = 0;
        long? nwa = null;
        var sessions = new List<MediumSession>();
        foreach (string raw in output.Split('\n'))
        {
            string line = raw.TrimEnd('\r');
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                continue;
            }

            string key = line[..colon].Trim();
            string value = line[(colon + 1)..].Trim();
            switch (key)
            {
                case "Media current":
                    type = value;
                    break;
                case "Media status":
                    state = value.Contains("is blank", StringComparison.Ordinal) ? MediumState.Blank
                        : value.Contains("is closed", StringComparison.Ordinal) ? MediumState.Closed
                        : value.Contains("is appendable", StringComparison.Ordinal) ? MediumState.Appendable
                        : throw new MediumException($"{drive}: xorriso reports media status '{value}'");
                    break;
                case "Media blocks":
                    Match m = BlocksLine().Match(value);
                    if (m.Success)
                    {
                        readable = long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
                        writable = long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
                        overall = long.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture);
                    }

                    break;
                case "ISO session" or "Other session":
                    Match s = SessionLine().Match(value);
                    if (s.Success)
                    {
                        sessions.Add(new MediumSession(
                            int.Parse(s.Groups[1].Value, CultureInfo.InvariantCulture),
                            long.Parse(s.Groups[2].Value, CultureInfo.InvariantCulture),
                            long.Parse(s.Groups[3].Value, CultureInfo.InvariantCulture),
                            s.Groups[4].Value.Trim()));
                    }

                    break;
                case "Media nwa":
                    nwa = long.Parse(value.TrimEnd('s'), CultureInfo.InvariantCulture);
                    break;
            }
        }

        if (type is null || state is null)
        {
            throw new MediumException($"{drive}: no medium reported by xorriso -toc (no 'Media current' / 'Media status' line): {Tail(output)}");
        }

        return new XorrisoToc(type, state.Value, readable, writable, overall, nwa, sessions);
    }

    internal static string Tail(string output)
    {
        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return string.Join(" | ", lines.TakeLast(3));
    }

    [GeneratedRegex(@"^(\d+) readable , (\d+) writable , (\d+) overall")]
    private static partial Regex BlocksLine();

    [GeneratedRegex(@"^(\d+)\s*,\s*(\d+)\s*,\s*(\d+)s\s*,\s*(.*)$")]
    private static partial Regex SessionLine();
}
