using System.Globalization;
using System.Text;

namespace UpsAgent.Protocols.Snmp;

/// <summary>
/// An OBJECT IDENTIFIER value: its arcs, compared lexicographically arc by arc with a shorter prefix
/// first, which is the GetNext order of RFC 3416 section 4.2.2.
/// </summary>
public sealed class ObjectIdentifier : IComparable<ObjectIdentifier>, IEquatable<ObjectIdentifier>
{
    /// <summary>RFC 2578 section 3.5: at most 128 sub-identifiers.</summary>
    public const int MaxArcs = 128;

    private readonly uint[] _arcs;

    public ObjectIdentifier(params ReadOnlySpan<uint> arcs)
    {
        if (arcs.Length < 2 || arcs.Length > MaxArcs || arcs[0] > 2 || (arcs[0] < 2 && arcs[1] >= 40))
        {
            throw new ArgumentException($"'{Format(arcs)}' is not an SNMP object identifier (2..{MaxArcs} arcs, first 0..2, second < 40 unless first is 2)", nameof(arcs));
        }

        _arcs = arcs.ToArray();
    }

    private ObjectIdentifier(uint[] arcs, bool _) => _arcs = arcs;

    public ReadOnlySpan<uint> Arcs => _arcs;

    public int Length => _arcs.Length;

    public uint this[int index] => _arcs[index];

    public static ObjectIdentifier Parse(string text) =>
        TryParse(text, out ObjectIdentifier? oid) ? oid : throw new FormatException($"'{text}' is not a dotted object identifier");

    public static bool TryParse(string text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ObjectIdentifier? oid)
    {
        oid = null;
        string[] parts = text.TrimStart('.').Split('.');
        if (parts.Length < 2 || parts.Length > MaxArcs)
        {
            return false;
        }

        var arcs = new uint[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!uint.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out arcs[i]))
            {
                return false;
            }
        }

        if (arcs[0] > 2 || (arcs[0] < 2 && arcs[1] >= 40))
        {
            return false;
        }

        oid = new ObjectIdentifier(arcs, true);
        return true;
    }

    /// <summary>This OID with more arcs after it (a table column plus its index, a scalar plus .0).</summary>
    public ObjectIdentifier Append(params ReadOnlySpan<uint> more)
    {
        var arcs = new uint[_arcs.Length + more.Length];
        _arcs.CopyTo(arcs, 0);
        more.CopyTo(arcs.AsSpan(_arcs.Length));
        if (arcs.Length > MaxArcs)
        {
            throw new ArgumentException($"{this} plus {more.Length} arcs exceeds {MaxArcs} arcs", nameof(more));
        }

        return new ObjectIdentifier(arcs, true);
    }

    public bool StartsWith(ObjectIdentifier prefix) => _arcs.AsSpan().StartsWith(prefix._arcs);

    public int CompareTo(ObjectIdentifier? other) => other is null ? 1 : Compare(_arcs, other._arcs);

    public static int Compare(ReadOnlySpan<uint> a, ReadOnlySpan<uint> b) => a.SequenceCompareTo(b);

    public bool Equals(ObjectIdentifier? other) => other is not null && _arcs.AsSpan().SequenceEqual(other._arcs);

    public override bool Equals(object? obj) => obj is ObjectIdentifier other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (uint arc in _arcs)
        {
            hash.Add(arc);
        }

        return hash.ToHashCode();
    }

    public override string ToString() => Format(_arcs);

    private static string Format(ReadOnlySpan<uint> arcs)
    {
        var text = new StringBuilder();
        foreach (uint arc in arcs)
        {
            if (text.Length > 0)
            {
                text.Append('.');
            }

            text.Append(arc.ToString(CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }

    /// <summary>
    /// Octets of the BER contents (X.690 8.19): first two arcs as 40·X + Y, then base-128 arcs,
    /// high bit on every octet but the last of an arc.
    /// </summary>
    public int EncodedContentLength
    {
        get
        {
            int length = Base128Length((ulong)_arcs[0] * 40 + _arcs[1]);
            for (int i = 2; i < _arcs.Length; i++)
            {
                length += Base128Length(_arcs[i]);
            }

            return length;
        }
    }

    public void WriteContent(Span<byte> destination)
    {
        int at = WriteBase128((ulong)_arcs[0] * 40 + _arcs[1], destination);
        for (int i = 2; i < _arcs.Length; i++)
        {
            at += WriteBase128(_arcs[i], destination[at..]);
        }
    }

    /// <summary>
    /// Decodes BER contents. Rejects non-minimal sub-identifiers (a leading 0x80 octet), arcs above
    /// 2^32-1 and more than <see cref="MaxArcs"/> arcs (RFC 2578 section 3.5).
    /// </summary>
    public static bool TryDecodeContent(ReadOnlySpan<byte> content, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ObjectIdentifier? oid)
    {
        oid = null;
        if (content.IsEmpty)
        {
            return false;
        }

        Span<uint> arcs = stackalloc uint[MaxArcs];
        int count = 0;
        int at = 0;
        bool first = true;
        while (at < content.Length)
        {
            if (content[at] == 0x80)
            {
                return false;
            }

            ulong value = 0;
            while (true)
            {
                if (at >= content.Length)
                {
                    return false;
                }

                byte b = content[at++];
                value = (value << 7) | (uint)(b & 0x7F);
                if (value > uint.MaxValue + 80UL)
                {
                    return false;
                }

                if ((b & 0x80) == 0)
                {
                    break;
                }
            }

            if (first)
            {
                first = false;
                uint x = value < 40 ? 0u : value < 80 ? 1u : 2u;
                ulong y = value - 40UL * x;
                if (y > uint.MaxValue)
                {
                    return false;
                }

                arcs[count++] = x;
                arcs[count++] = (uint)y;
            }
            else
            {
                if (value > uint.MaxValue || count >= MaxArcs)
                {
                    return false;
                }

                arcs[count++] = (uint)value;
            }
        }

        oid = new ObjectIdentifier(arcs[..count].ToArray(), true);
        return true;
    }

    private static int Base128Length(ulong value)
    {
        int length = 1;
        while ((value >>= 7) != 0)
        {
            length++;
        }

        return length;
    }

    private static int WriteBase128(ulong value, Span<byte> destination)
    {
        int length = Base128Length(value);
        for (int i = length - 1; i >= 0; i--)
        {
            destination[i] = (byte)((value & 0x7F) | (i == length - 1 ? 0u : 0x80u));
            value >>= 7;
        }

        return length;
    }
}
