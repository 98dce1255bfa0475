using System.Buffers.Text;

namespace UpsAgent.Protocols.Nut;

/// <summary>
/// Builds one reply line in a caller's buffer, never longer than
/// <see cref="NutProtocol.MaxReplyLineBytes"/> including the LF. Where upsd would cut the line (and
/// lose its LF), this cuts the content instead, keeping a closing quote and the LF so clients stay
/// in step.
/// </summary>
public ref struct NutReplyLine
{
    private const int ContentLimit = NutProtocol.MaxReplyLineBytes - 1;
    private readonly Span<byte> _buffer;
    private int _length;

    /// <param name="buffer">At least <see cref="NutProtocol.MaxReplyLineBytes"/> bytes.</param>
    public NutReplyLine(Span<byte> buffer)
    {
        if (buffer.Length < NutProtocol.MaxReplyLineBytes)
        {
            throw new ArgumentException(
                $"A reply buffer needs {NutProtocol.MaxReplyLineBytes} bytes, got {buffer.Length}.", nameof(buffer));
        }

        _buffer = buffer;
        _length = 0;
    }

    public readonly int Length => _length;

    /// <summary>True when something had to be cut to respect the line limit.</summary>
    public bool Truncated { get; private set; }

    /// <summary>Appends bytes as they are (keywords, echoed request words).</summary>
    public void Append(scoped ReadOnlySpan<byte> ascii)
    {
        int room = ContentLimit - _length;
        if (ascii.Length > room)
        {
            ascii = ascii[..room];
            Truncated = true;
        }

        ascii.CopyTo(_buffer[_length..]);
        _length += ascii.Length;
    }

    /// <summary>Appends a space and then a word.</summary>
    public void AppendWord(scoped ReadOnlySpan<byte> ascii)
    {
        Append(" "u8);
        Append(ascii);
    }

    /// <summary>Appends a space and unquoted text (names, ids); characters outside ASCII become '?'.</summary>
    public void AppendWord(string text)
    {
        Append(" "u8);
        AppendText(text);
    }

    public void AppendText(string text)
    {
        int room = ContentLimit - _length;
        int count = Math.Min(room, text.Length);
        Truncated |= count < text.Length;
        Span<byte> target = _buffer.Slice(_length, count);
        for (int i = 0; i < count; i++)
        {
            char c = text[i];
            target[i] = c < 0x80 ? (byte)c : (byte)'?';
        }

        _length += count;
    }

    /// <summary>Appends a space and the value in quotes, escaped (PCONF_ESCAPE).</summary>
    public void AppendQuoted(scoped ReadOnlySpan<char> value)
    {
        Append(" "u8);
        AppendQuotedBare(value);
    }

    /// <summary>Appends the value in quotes, escaped, without a leading space.</summary>
    public void AppendQuotedBare(scoped ReadOnlySpan<char> value)
    {
        int room = ContentLimit - _length;
        if (room < 2)
        {
            Truncated = true;
            return;
        }

        _buffer[_length++] = (byte)'"';
        int written = NutQuoting.WriteEscaped(value, _buffer.Slice(_length, room - 2), out bool complete);
        Truncated |= !complete;
        _length += written;
        _buffer[_length++] = (byte)'"';
    }

    /// <summary>Appends a space and text in quotes without escaping (upsd sends descriptions raw).</summary>
    public void AppendQuotedRaw(string text)
    {
        Append(" \""u8);
        int room = ContentLimit - _length - 1;
        if (room < 0)
        {
            Truncated = true;
            return;
        }

        if (text.Length > room)
        {
            text = text[..room];
            Truncated = true;
        }

        AppendText(text);
        Append("\""u8);
    }

    public void AppendNumber(long value)
    {
        if (Utf8Formatter.TryFormat(value, _buffer[_length..ContentLimit], out int written))
        {
            _length += written;
        }
        else
        {
            Truncated = true;
        }
    }

    /// <summary>Ends the line with LF and returns its length in bytes.</summary>
    public int Finish()
    {
        _buffer[_length++] = (byte)'\n';
        return _length;
    }
}
