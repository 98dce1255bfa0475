using System.Text;

namespace UpsAgent.Protocols.Nut;

/// <summary>
/// Value escaping for quoted words: a backslash before '"', '\' and '#' (parseconf's PCONF_ESCAPE,
/// pconf_encode). Reading back is the tokenizer's job; <see cref="Unescape"/> covers one quoted word.
/// </summary>
public static class NutQuoting
{
    public static bool NeedsEscape(char c) => c is '"' or '\\' or '#';

    public static string Escape(string value)
    {
        int extra = 0;
        foreach (char c in value)
        {
            if (NeedsEscape(c))
            {
                extra++;
            }
        }

        if (extra == 0)
        {
            return value;
        }

        return string.Create(value.Length + extra, value, static (span, source) =>
        {
            int at = 0;
            foreach (char c in source)
            {
                if (NeedsEscape(c))
                {
                    span[at++] = '\\';
                }

                span[at++] = c;
            }
        });
    }

    /// <summary>
    /// Writes the escaped UTF-8 form of <paramref name="value"/> while it fits, never splitting an
    /// escape pair or a character. Returns the bytes written; <paramref name="complete"/> says
    /// whether the whole value fit.
    /// </summary>
    public static int WriteEscaped(ReadOnlySpan<char> value, Span<byte> destination, out bool complete)
    {
        int at = 0;
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (c < 0x80)
            {
                if (NeedsEscape(c))
                {
                    if (at + 2 > destination.Length)
                    {
                        complete = false;
                        return at;
                    }

                    destination[at++] = (byte)'\\';
                }
                else if (at + 1 > destination.Length)
                {
                    complete = false;
                    return at;
                }

                destination[at++] = (byte)c;
                continue;
            }

            // Drivers may report non-ASCII text (e.g. a degree sign); upsd passes such bytes through.
            if (Rune.DecodeFromUtf16(value[i..], out Rune rune, out int used) != System.Buffers.OperationStatus.Done)
            {
                rune = Rune.ReplacementChar;
                used = 1;
            }

            if (!rune.TryEncodeToUtf8(destination[at..], out int written))
            {
                complete = false;
                return at;
            }

            at += written;
            i += used - 1;
        }

        complete = true;
        return at;
    }

    /// <summary>Undoes <see cref="Escape"/> for the inside of one quoted word.</summary>
    public static string Unescape(ReadOnlySpan<char> escaped)
    {
        if (!escaped.Contains('\\'))
        {
            return escaped.ToString();
        }

        var text = new StringBuilder(escaped.Length);
        for (int i = 0; i < escaped.Length; i++)
        {
            if (escaped[i] == '\\' && i + 1 < escaped.Length)
            {
                i++;
            }

            text.Append(escaped[i]);
        }

        return text.ToString();
    }
}
