using System.Globalization;
using System.Text.RegularExpressions;

namespace UpsAgent.Configuration;

/// <summary>Reads [array NAME] sections (mdadm.conf's ARRAY lines, with the members spelled out).</summary>
internal static partial class ArrayConfigReader
{
    private static readonly int[] Levels = [0, 1, 4, 5, 6, 10];

    public static ArrayConfig Read(ConfigSection section, IReadOnlyList<ArrayConfig> existing)
    {
        string name = section.Name ?? throw section.Error("[array] needs a name: [array NAME]");
        if (!name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
        {
            throw section.Error($"array name '{name}' may only hold letters, digits and . _ -");
        }

        if (existing.Any(a => string.Equals(a.Name, name, StringComparison.OrdinalIgnoreCase)))
        {
            throw section.Error($"array '{name}' is configured twice");
        }

        List<string>? members = null;
        int? level = null;
        string? uuid = null;
        long min = 1000;
        long max = 200_000;
        foreach (ConfigEntry e in section.Entries)
        {
            switch (e.Key)
            {
                case "members":
                    members = [.. e.Value.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)];
                    if (members.Count == 0 || members.All(m => m == "missing"))
                    {
                        throw e.Error("give the member paths in role order ('missing' for an absent one)");
                    }

                    string? twice = members.Where(m => m != "missing").GroupBy(m => m).FirstOrDefault(g => g.Count() > 1)?.Key;
                    if (twice is not null)
                    {
                        throw e.Error($"member {twice} is listed twice");
                    }

                    break;
                case "level":
                    string text = e.Value.StartsWith("raid", StringComparison.OrdinalIgnoreCase) ? e.Value[4..] : e.Value;
                    if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int l) || !Levels.Contains(l))
                    {
                        throw e.Error($"'{e.Value}' is not a RAID level (0, 1, 4, 5, 6 or 10)");
                    }

                    level = l;
                    break;
                case "uuid":
                    if (!UuidPattern().IsMatch(e.Value))
                    {
                        throw e.Error($"'{e.Value}' is not an array UUID as mdadm prints it (xxxxxxxx:xxxxxxxx:xxxxxxxx:xxxxxxxx)");
                    }

                    uuid = e.Value.ToLowerInvariant();
                    break;
                case "speed-min":
                    min = AgentConfigLoader.ParseInt(e, 1, int.MaxValue);
                    break;
                case "speed-max":
                    max = AgentConfigLoader.ParseInt(e, 1, int.MaxValue);
                    break;
                default:
                    throw e.Error("unknown key in [array]; expected members, level, uuid, speed-min or speed-max");
            }
        }

        if (members is null)
        {
            throw section.Error($"array '{name}' has no 'members = PATH...' line");
        }

        if (min > max)
        {
            throw section.Error($"speed-min {min} is above speed-max {max}");
        }

        return new ArrayConfig(name, members, section) { Level = level, Uuid = uuid, SpeedMinKib = min, SpeedMaxKib = max };
    }

    [GeneratedRegex("^[0-9a-fA-F]{8}(:[0-9a-fA-F]{8}){3}$")]
    private static partial Regex UuidPattern();
}
