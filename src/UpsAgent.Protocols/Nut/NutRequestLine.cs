using System.Text;

namespace UpsAgent.Protocols.Nut;

/// <summary>
/// The words of one request line, as ASCII bytes (the tokenizer never lets other bytes through).
/// Owned and reused by a <see cref="NutRequestTokenizer"/>: valid until its next Advance.
/// </summary>
public sealed class NutRequestLine
{
    private readonly int[] _starts = new int[NutProtocol.MaxWords];
    private readonly int[] _lengths = new int[NutProtocol.MaxWords];

    // Per position, the last word's bytes and string: pollers repeat the same request, so the
    // names they send become strings once instead of once per request.
    private readonly byte[]?[] _cachedBytes = new byte[NutProtocol.MaxWords][];
    private readonly string?[] _cachedStrings = new string[NutProtocol.MaxWords];
    private byte[] _data = new byte[256];
    private int _used;
    private int _wordStart;

    public int Count { get; private set; }

    public ReadOnlySpan<byte> this[int index]
    {
        get
        {
            if ((uint)index >= (uint)Count)
            {
                throw new ArgumentOutOfRangeException(nameof(index), index, $"The line has {Count} words.");
            }

            return _data.AsSpan(_starts[index], _lengths[index]);
        }
    }

    /// <summary>The word as a string; repeated words at the same position reuse one instance.</summary>
    public string GetString(int index)
    {
        ReadOnlySpan<byte> word = this[index];
        byte[]? cached = _cachedBytes[index];
        if (cached is not null && word.SequenceEqual(cached))
        {
            return _cachedStrings[index]!;
        }

        string text = Encoding.ASCII.GetString(word);
        _cachedBytes[index] = word.ToArray();
        _cachedStrings[index] = text;
        return text;
    }

    /// <summary>Compares a word with a keyword ignoring ASCII case (upsd uses strcasecmp).</summary>
    public bool WordEquals(int index, ReadOnlySpan<byte> keyword) =>
        index < Count && System.Text.Ascii.EqualsIgnoreCase(this[index], keyword);

    public override string ToString()
    {
        var text = new StringBuilder();
        for (int i = 0; i < Count; i++)
        {
            if (i > 0)
            {
                text.Append(' ');
            }

            text.Append('[').Append(Encoding.ASCII.GetString(this[i])).Append(']');
        }

        return text.ToString();
    }

    internal int CurrentWordLength => _used - _wordStart;

    internal void Reset()
    {
        Count = 0;
        _used = 0;
        _wordStart = 0;
    }

    internal void Append(byte value)
    {
        if (_used == _data.Length)
        {
            // Bounded: at most MaxWords committed words of MaxWordLength plus one word in progress.
            Array.Resize(ref _data, _data.Length * 2);
        }

        _data[_used++] = value;
    }

    internal void Append(ReadOnlySpan<byte> values)
    {
        if (_used + values.Length > _data.Length)
        {
            Array.Resize(ref _data, Math.Max(_data.Length * 2, _used + values.Length));
        }

        values.CopyTo(_data.AsSpan(_used));
        _used += values.Length;
    }

    /// <summary>parseconf's endofword: keep the word unless the line already has the maximum.</summary>
    internal void EndWord()
    {
        if (Count < NutProtocol.MaxWords)
        {
            _starts[Count] = _wordStart;
            _lengths[Count] = _used - _wordStart;
            Count++;
            _wordStart = _used;
        }
        else
        {
            _used = _wordStart;
        }
    }
}
