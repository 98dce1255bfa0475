namespace UpsAgent.Protocols.Snmp;

/// <summary>
/// Reads BER TLVs forward from a span and never throws on bad input: every method answers false.
/// RFC 3417 section 8: definite lengths only (0x80 indefinite is refused), long form accepted even
/// when not minimal, single-octet identifiers (every SNMP tag is below 31).
/// </summary>
public ref struct BerReader(ReadOnlySpan<byte> data)
{
    /// <summary>Four length octets cover any datagram; more are refused rather than parsed.</summary>
    private const int MaxLengthOctets = 4;

    private readonly ReadOnlySpan<byte> _data = data;
    private int _position;

    public readonly bool IsEmpty => _position >= _data.Length;

    public readonly int Remaining => _data.Length - _position;

    public bool TryReadTlv(out byte tag, out ReadOnlySpan<byte> content)
    {
        tag = 0;
        content = default;
        if (_position >= _data.Length)
        {
            return false;
        }

        byte identifier = _data[_position];
        if ((identifier & 0x1F) == 0x1F)
        {
            return false;
        }

        int at = _position + 1;
        if (at >= _data.Length)
        {
            return false;
        }

        int first = _data[at++];
        int length;
        if (first < 0x80)
        {
            length = first;
        }
        else
        {
            int octets = first & 0x7F;
            if (octets == 0 || octets > MaxLengthOctets || at + octets > _data.Length)
            {
                return false;
            }

            long value = 0;
            for (int i = 0; i < octets; i++)
            {
                value = (value << 8) | _data[at++];
            }

            if (value > int.MaxValue)
            {
                return false;
            }

            length = (int)value;
        }

        if (length > _data.Length - at)
        {
            return false;
        }

        tag = identifier;
        content = _data.Slice(at, length);
        _position = at + length;
        return true;
    }

    /// <summary>Reads a TLV that must carry <paramref name="expected"/>.</summary>
    public bool TryRead(byte expected, out ReadOnlySpan<byte> content) =>
        TryReadTlv(out byte tag, out content) && tag == expected;

    public bool TryReadInt32(out int value)
    {
        value = 0;
        if (!TryRead((byte)SnmpType.Integer, out ReadOnlySpan<byte> content) || !TryDecodeSigned(content, out long wide)
            || wide < int.MinValue || wide > int.MaxValue)
        {
            return false;
        }

        value = (int)wide;
        return true;
    }

    /// <summary>Two's complement, big-endian, 1..8 octets; a redundant leading 00/FF is tolerated.</summary>
    public static bool TryDecodeSigned(ReadOnlySpan<byte> content, out long value)
    {
        value = 0;
        if (content.IsEmpty)
        {
            return false;
        }

        while (content.Length > 8 && (content[0] == 0x00 || content[0] == 0xFF) && (content[1] & 0x80) == (content[0] & 0x80))
        {
            content = content[1..];
        }

        if (content.Length > 8)
        {
            return false;
        }

        long result = (sbyte)content[0];
        for (int i = 1; i < content.Length; i++)
        {
            result = (result << 8) | content[i];
        }

        value = result;
        return true;
    }

    /// <summary>
    /// Unsigned application types (RFC 2578 section 7.1.6 ff.) are INTEGER-encoded; the value must
    /// fit <paramref name="bits"/> after dropping a leading sign octet of 00.
    /// </summary>
    public static bool TryDecodeUnsigned(ReadOnlySpan<byte> content, int bits, out ulong value)
    {
        value = 0;
        if (content.IsEmpty)
        {
            return false;
        }

        while (content.Length > 1 && content[0] == 0x00)
        {
            content = content[1..];
        }

        if (content.Length > bits / 8 || (content[0] & 0x80) != 0 && content.Length == bits / 8 + 1)
        {
            return false;
        }

        ulong result = 0;
        foreach (byte b in content)
        {
            result = (result << 8) | b;
        }

        value = result;
        return true;
    }
}
