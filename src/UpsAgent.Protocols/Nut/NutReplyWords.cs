using System.Text;

namespace UpsAgent.Protocols.Nut;

/// <summary>
/// Splits one reply line from upsd into words for a client: blanks separate words, "..." groups
/// them, and a backslash inside quotes takes the next character literally (the server side of
/// <see cref="NutQuoting.Escape"/>). Unlike the request tokenizer, bytes above 0x7F are kept.
/// </summary>
public static class NutReplyWords
{
    public static List<string> Split(ReadOnlySpan<char> line)
    {
        var words = new List<string>(6);
        var word = new StringBuilder();
        bool inWord = false;
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '\\' && i + 1 < line.Length)
                {
                    word.Append(line[++i]);
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    word.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
                inWord = true;
            }
            else if (c is ' ' or '\t' or '\r')
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        return words;
    }
}
