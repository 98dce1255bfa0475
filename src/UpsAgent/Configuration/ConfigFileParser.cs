using System.Text;

namespace UpsAgent.Configuration;

/// <summary>
/// Reads the agent's configuration syntax: "[kind]" or "[kind NAME]" section headers, "key = value"
/// lines, '#' comments, values optionally in double quotes with backslash escapes. Semantics are
/// checked by <see cref="AgentConfigLoader"/>; this only splits lines and reports where they were.
/// </summary>
public static class ConfigFileParser
{
    public static List<ConfigSection> Parse(string text, string file)
    {
        var sections = new List<ConfigSection>();
        ConfigSection? current = null;
        string[] lines = text.Split('\n');
        for (int index = 0; index < lines.Length; index++)
        {
            int lineNumber = index + 1;
            string line = lines[index].TrimEnd('\r');
            string trimmed = line.Trim();
            if (trimmed.Length == 0 || trimmed[0] == '#')
            {
                continue;
            }

            if (trimmed[0] == '[')
            {
                int close = trimmed.IndexOf(']');
                if (close < 0)
                {
                    throw new ConfigException(file, lineNumber, null, "section header is missing its closing ']'");
                }

                string rest = trimmed[(close + 1)..].Trim();
                if (rest.Length > 0 && rest[0] != '#')
                {
                    throw new ConfigException(file, lineNumber, null, $"unexpected text '{rest}' after the section header");
                }

                string[] words = trimmed[1..close].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                if (words.Length is 0 or > 2)
                {
                    throw new ConfigException(file, lineNumber, null, "a section header is [kind] or [kind NAME]");
                }

                current = new ConfigSection(words[0].ToLowerInvariant(), words.Length == 2 ? words[1] : null, file, lineNumber);
                sections.Add(current);
                continue;
            }

            int equals = trimmed.IndexOf('=');
            if (equals <= 0)
            {
                throw new ConfigException(file, lineNumber, null, $"expected 'key = value', found '{trimmed}'");
            }

            string key = trimmed[..equals].Trim().ToLowerInvariant();
            if (key.Any(char.IsWhiteSpace))
            {
                throw new ConfigException(file, lineNumber, key, "a key is one word");
            }

            if (current is null)
            {
                throw new ConfigException(file, lineNumber, key, "this key must be inside a section such as [nut] or [ups NAME]");
            }

            string value = ParseValue(trimmed[(equals + 1)..], file, lineNumber, key);
            current.Entries.Add(new ConfigEntry(key, value, file, lineNumber));
        }

        return sections;
    }

    private static string ParseValue(string raw, string file, int line, string key)
    {
        string text = raw.Trim();
        if (text.Length == 0 || text[0] != '"')
        {
            int hash = text.IndexOf('#');
            return (hash >= 0 ? text[..hash] : text).Trim();
        }

        var value = new StringBuilder();
        for (int i = 1; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\\' && i + 1 < text.Length)
            {
                value.Append(text[++i]);
            }
            else if (c == '"')
            {
                string after = text[(i + 1)..].Trim();
                if (after.Length > 0 && after[0] != '#')
                {
                    throw new ConfigException(file, line, key, $"unexpected text '{after}' after the quoted value");
                }

                return value.ToString();
            }
            else
            {
                value.Append(c);
            }
        }

        throw new ConfigException(file, line, key, "the quoted value has no closing '\"'");
    }
}
