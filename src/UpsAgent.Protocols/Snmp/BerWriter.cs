namespace UpsAgent.Protocols.Snmp;

/// <summary>
/// Writes BER backwards from the end of a span, so every length is known when its header is
/// written and nothing is copied twice. Running out of room sets <see cref="Overflowed"/> and
/// turns later writes into no-ops; the caller checks once at the end (that is how tooBig is found).
/// </summary>
public ref struct BerWriter(Span<byte> buffer)
{
    private readonly Span<byte> _buffer = buffer;
    private int _start = buffer.Length;

    private bool _overflowed;

    /// <summary>Bytes written so far; the encoding is the last <see cref="Written"/> bytes of the buffer.</summary>
    public readonly int Written => _buffer.Length - _start;

    public readonly bool HasOverflowed => _overflowed;

    public readonly ReadOnlySpan<byte> Encoded => _buffer[_start..];

    /// <summary>Marks where a constructed value's contents end; pass it to <see cref="WriteConstructed"/> after writing them.</summary>
    public readonly int Mark() => Written;

    public void WriteConstructed(byte tag, int mark) => WriteHeader(tag, Written - mark);

    public void WriteHeader(byte tag, int contentLength)
    {
        int lengthOctets = contentLength < 0x80 ? 0 : contentLength <= 0xFF ? 1 : contentLength <= 0xFFFF ? 2 : contentLength <= 0xFFFFFF ? 3 : 4;
        Span<byte> header = Reserve(2 + lengthOctets);
        if (header.IsEmpty)
        {
            return;
        }

        header[0] = tag;
        if (lengthOctets == 0)
        {
            header[1] = (byte)contentLength;
            return;
        }

        header[1] = (byte)(0x80 | lengthOctets);
        for (int i = 0; i < lengthOctets; i++)
        {
            header[2 + lengthOctets - 1 - i] = (byte)(contentLength >> (8 * i));
        }
    }

    /// <summary>Minimal two's complement (X.690 8.3.2: the first nine bits are never all equal).</summary>
    public void WriteSigned(byte tag, long value)
    {
        int length = 1;
        while (length < 8)
        {
            long top = value >> (8 * length - 1);
            if (top == 0 || top == -1)
            {
                break;
            }

            length++;
        }

        Span<byte> content = Reserve(length);
        if (!content.IsEmpty)
        {
            for (int i = 0; i < length; i++)
            {
                content[length - 1 - i] = (byte)(value >> (8 * i));
            }
        }

        WriteHeader(tag, length);
    }

    /// <summary>Unsigned types get a leading 00 when their top bit is set (4294967295 is 00 FF FF FF FF).</summary>
    public void WriteUnsigned(byte tag, ulong value)
    {
        int length = 1;
        while (length < 9 && (value >> (8 * length - 1)) != 0)
        {
            length++;
        }

        Span<byte> content = Reserve(length);
        if (!content.IsEmpty)
        {
            for (int i = 0; i < length; i++)
            {
                content[length - 1 - i] = i < 8 ? (byte)(value >> (8 * i)) : (byte)0;
            }
        }

        WriteHeader(tag, length);
    }

    public void WriteOctets(byte tag, ReadOnlySpan<byte> octets)
    {
        Span<byte> content = Reserve(octets.Length);
        if (!content.IsEmpty || octets.IsEmpty)
        {
            octets.CopyTo(content);
        }

        WriteHeader(tag, octets.Length);
    }

    /// <summary>A one-octet string, such as SNMPv3's msgFlags.</summary>
    public void WriteOctet(byte tag, byte octet)
    {
        Span<byte> content = Reserve(1);
        if (!content.IsEmpty)
        {
            content[0] = octet;
        }

        WriteHeader(tag, 1);
    }

    public void WriteOid(ObjectIdentifier oid)
    {
        int length = oid.EncodedContentLength;
        Span<byte> content = Reserve(length);
        if (!content.IsEmpty)
        {
            oid.WriteContent(content);
        }

        WriteHeader((byte)SnmpType.ObjectIdentifier, length);
    }

    public void WriteValue(SnmpValue value)
    {
        switch (value.Type)
        {
            case SnmpType.Integer:
                WriteSigned((byte)SnmpType.Integer, value.Number);
                break;
            case SnmpType.OctetString or SnmpType.IpAddress or SnmpType.Opaque:
                WriteOctets((byte)value.Type, value.Octets ?? []);
                break;
            case SnmpType.ObjectIdentifier:
                WriteOid(value.Oid!);
                break;
            case SnmpType.Counter32 or SnmpType.Gauge32 or SnmpType.TimeTicks or SnmpType.Counter64:
                WriteUnsigned((byte)value.Type, value.Unsigned);
                break;
            default:
                // NULL and the three exceptions: a bare tag with length 0.
                WriteHeader((byte)value.Type, 0);
                break;
        }
    }

    private Span<byte> Reserve(int length)
    {
        if (_overflowed || length > _start)
        {
            _overflowed = true;
            return [];
        }

        _start -= length;
        return _buffer.Slice(_start, length);
    }
}
