using System.Text;

namespace UpsAgent.Console.Repl;

/// <summary>
/// Splits a REPL line into words the way a shell user expects: blanks separate words, double or
/// single quotes group them, backslash escapes the next character, an unquoted # starts a comment.
/// </summary>
public static class ReplLineSplitter
{
    public static bool TrySplit(string line, out List<string> words, out string? error)
    {
        words = [];
        error = null;
        var current = new StringBuilder();
        bool inWord = false;
        char quote = '\0';
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (c == '\\' && quote != '\'')
            {
                if (i + 1 >= line.Length)
                {
                    error = "line ends with a backslash";
                    return false;
                }

                current.Append(line[++i]);
                inWord = true;
            }
            else if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
                inWord = true;
            }
            else if (c == '#' && !inWord)
            {
                break;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(current.ToString());
                    current.Clear();
                    inWord = false;
                }
            }
            else
            {
                current.Append(c);
                inWord = true;
            }
        }

        if (quote != '\0')
        {
            error = $"unterminated {quote} quote";
            return false;
        }

        if (inWord)
        {
            words.Add(current.ToString());
        }

        return true;
    }
}
