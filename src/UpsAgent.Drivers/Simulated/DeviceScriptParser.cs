using System.Collections.Immutable;
using System.Globalization;
using System.Text;

namespace UpsAgent.Drivers.Simulated;

/// <summary>
/// Reads dummy-ups definition files: <c>upsc</c>-style <c>name: value</c> lines plus the
/// <c>TIMER seconds</c> and <c>ALARM [text]</c> instructions. Words follow NUT's parseconf rules
/// (common/parseconf.c): whitespace separates words, "double quotes" group them, a backslash takes
/// the next character literally (a backslash at the end of a line joins the next line), and
/// <c>#</c> outside quotes starts a comment. A value is its words joined by single spaces, as
/// dummy-ups builds it. Unlike parseconf, a quote cannot run past the end of its line, <c>#</c>
/// inside quotes is an ordinary character, and <c>=</c> is not a word of its own.
/// </summary>
public static class DeviceScriptParser
{
    public const string TimerKeyword = "TIMER";
    public const string AlarmKeyword = "ALARM";

    public static DeviceScript Parse(string text, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentException.ThrowIfNullOrWhiteSpace(sourceName);

        if (text.StartsWith('\uFEFF'))
        {
            text = text[1..];
        }

        var steps = ImmutableArray.CreateBuilder<DeviceStep>();
        foreach ((int lineNumber, List<string> words) in SplitIntoWords(text, sourceName))
        {
            steps.Add(ToStep(words, lineNumber, sourceName));
        }

        return new DeviceScript(sourceName, steps.ToImmutable());
    }

    private static DeviceStep ToStep(List<string> words, int lineNumber, string sourceName)
    {
        string first = words[0];
        if (first == TimerKeyword)
        {
            if (words.Count != 2)
            {
                throw new DeviceScriptException(sourceName, lineNumber,
                    $"TIMER takes one number of seconds, got {words.Count - 1} words");
            }

            if (!int.TryParse(words[1], NumberStyles.None, CultureInfo.InvariantCulture, out int seconds))
            {
                throw new DeviceScriptException(sourceName, lineNumber,
                    $"TIMER needs a whole number of seconds (0 or more), got '{words[1]}'");
            }

            return new TimerStep(lineNumber, seconds);
        }

        if (first == AlarmKeyword)
        {
            return new AlarmStep(lineNumber, string.Join(' ', words.Skip(1)));
        }

        // upsc prints "name: value"; tolerate "name:value" too, since the colon ends the name.
        int colon = first.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            throw new DeviceScriptException(sourceName, lineNumber,
                $"expected 'name: value', TIMER or ALARM, got '{Shorten(first)}'");
        }

        string name = first[..colon];
        if (!IsVariableName(name))
        {
            throw new DeviceScriptException(sourceName, lineNumber, $"'{Shorten(name)}' is not a variable name");
        }

        IEnumerable<string> valueWords = words.Skip(1);
        string attached = first[(colon + 1)..];
        if (attached.Length > 0)
        {
            valueWords = valueWords.Prepend(attached);
        }

        return new SetVariableStep(lineNumber, name, string.Join(' ', valueWords));
    }

    // NUT names are dotted words of letters, digits, '-' and '_' (docs/nut-names.txt; e.g. input.L1-N.voltage).
    private static bool IsVariableName(string name)
    {
        if (name.Length == 0 || name[0] == '.' || name[^1] == '.' || name.Contains("..", StringComparison.Ordinal))
        {
            return false;
        }

        foreach (char c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_'))
            {
                return false;
            }
        }

        return true;
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "...";

    private static List<(int LineNumber, List<string> Words)> SplitIntoWords(string text, string sourceName)
    {
        var lines = new List<(int, List<string>)>();
        var words = new List<string>();
        var word = new StringBuilder();
        bool inWord = false;
        bool inQuotes = false;
        bool inComment = false;
        int line = 1;
        int logicalLineStart = 1;

        void EndWord()
        {
            if (inWord)
            {
                words.Add(word.ToString());
                word.Clear();
                inWord = false;
            }
        }

        void EndLine()
        {
            EndWord();
            if (words.Count > 0)
            {
                lines.Add((logicalLineStart, words));
                words = [];
            }

            inComment = false;
        }

        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                continue;
            }

            if (c == '\n')
            {
                if (inQuotes)
                {
                    throw new DeviceScriptException(sourceName, line, "unterminated quoted value");
                }

                EndLine();
                line++;
                logicalLineStart = line;
                continue;
            }

            if (inComment)
            {
                continue;
            }

            if (IsJunk(c))
            {
                throw new DeviceScriptException(sourceName, line,
                    $"unexpected character U+{(int)c:X4}; is this a text file?");
            }

            if (c == '\\')
            {
                int next = i + 1;
                if (next < text.Length && text[next] == '\r' && next + 1 < text.Length && text[next + 1] == '\n')
                {
                    next++;
                }

                if (next >= text.Length)
                {
                    throw new DeviceScriptException(sourceName, line, "backslash at the end of the file");
                }

                i = next;
                if (text[next] == '\n')
                {
                    // Line continuation: the logical line goes on, its number stays the first one.
                    line++;
                    continue;
                }

                if (IsJunk(text[next]))
                {
                    throw new DeviceScriptException(sourceName, line,
                        $"unexpected character U+{(int)text[next]:X4}; is this a text file?");
                }

                word.Append(text[next]);
                inWord = true;
                continue;
            }

            if (inQuotes)
            {
                if (c == '"')
                {
                    inQuotes = false;
                    inWord = true;
                    EndWord();
                }
                else
                {
                    word.Append(c);
                }

                continue;
            }

            if (c == '#')
            {
                EndWord();
                inComment = true;
                continue;
            }

            if (c is ' ' or '\t' or '\r' or '\f' or '\v')
            {
                EndWord();
                continue;
            }

            if (c == '"' && !inWord)
            {
                inQuotes = true;
                inWord = true;
                continue;
            }

            word.Append(c);
            inWord = true;
        }

        if (inQuotes)
        {
            throw new DeviceScriptException(sourceName, line, "unterminated quoted value");
        }

        EndLine();
        return lines;
    }

    // NUL and other C0 controls, DEL, and the replacement character a decoder leaves for invalid bytes.
    private static bool IsJunk(char c) =>
        (c < ' ' && c is not '\t' and not '\n' and not '\r' and not '\f' and not '\v')
        || c == '\u007f'
        || c == '\ufffd';
}
