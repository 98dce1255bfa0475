using System.Globalization;
using System.Text;

namespace UpsAgent.Protocols.Snmp;

/// <summary>
/// One varbind value of any SNMP type. Numbers sit in <see cref="Number"/> (signed for INTEGER,
/// unsigned bit patterns for the application types), octets in <see cref="Octets"/>, OIDs in
/// <see cref="Oid"/>.
/// </summary>
public readonly struct SnmpValue : IEquatable<SnmpValue>
{
    private SnmpValue(SnmpType type, long number, byte[]? octets, ObjectIdentifier? oid)
    {
        Type = type;
        Number = number;
        Octets = octets;
        Oid = oid;
    }

    public SnmpType Type { get; }

    public long Number { get; }

    public byte[]? Octets { get; }

    public ObjectIdentifier? Oid { get; }

    public ulong Unsigned => unchecked((ulong)Number);

    public bool IsException => Type is SnmpType.NoSuchObject or SnmpType.NoSuchInstance or SnmpType.EndOfMibView;

    public static SnmpValue Null => new(SnmpType.Null, 0, null, null);

    public static SnmpValue NoSuchObject => new(SnmpType.NoSuchObject, 0, null, null);

    public static SnmpValue NoSuchInstance => new(SnmpType.NoSuchInstance, 0, null, null);

    public static SnmpValue EndOfMibView => new(SnmpType.EndOfMibView, 0, null, null);

    public static SnmpValue Integer(int value) => new(SnmpType.Integer, value, null, null);

    public static SnmpValue OctetString(byte[] value) => new(SnmpType.OctetString, 0, value, null);

    /// <summary>DisplayString: NVT ASCII (RFC 2579); other characters become '?'.</summary>
    public static SnmpValue OctetString(string value) => new(SnmpType.OctetString, 0, Encoding.ASCII.GetBytes(value), null);

    public static SnmpValue ObjectId(ObjectIdentifier value) => new(SnmpType.ObjectIdentifier, 0, null, value);

    public static SnmpValue IpAddress(ReadOnlySpan<byte> address) =>
        address.Length == 4
            ? new(SnmpType.IpAddress, 0, address.ToArray(), null)
            : throw new ArgumentException($"an IpAddress has 4 octets, not {address.Length}", nameof(address));

    public static SnmpValue Counter32(uint value) => new(SnmpType.Counter32, value, null, null);

    public static SnmpValue Gauge32(uint value) => new(SnmpType.Gauge32, value, null, null);

    public static SnmpValue TimeTicks(uint value) => new(SnmpType.TimeTicks, value, null, null);

    public static SnmpValue Opaque(byte[] value) => new(SnmpType.Opaque, 0, value, null);

    public static SnmpValue Counter64(ulong value) => new(SnmpType.Counter64, unchecked((long)value), null, null);

    internal static SnmpValue FromDecoded(SnmpType type, long number, byte[]? octets, ObjectIdentifier? oid) => new(type, number, octets, oid);

    public bool Equals(SnmpValue other) =>
        Type == other.Type
        && Number == other.Number
        && (Octets is null ? other.Octets is null : other.Octets is not null && Octets.AsSpan().SequenceEqual(other.Octets))
        && Equals(Oid, other.Oid);

    public override bool Equals(object? obj) => obj is SnmpValue other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Type, Number, Oid);

    public static bool operator ==(SnmpValue left, SnmpValue right) => left.Equals(right);

    public static bool operator !=(SnmpValue left, SnmpValue right) => !left.Equals(right);

    public override string ToString() => Type switch
    {
        SnmpType.Integer => "INTEGER: " + Number.ToString(CultureInfo.InvariantCulture),
        SnmpType.OctetString => "STRING: " + Encoding.ASCII.GetString(Octets ?? []),
        SnmpType.ObjectIdentifier => "OID: " + Oid,
        SnmpType.IpAddress => "IpAddress: " + string.Join('.', Octets ?? []),
        SnmpType.Counter64 => "Counter64: " + Unsigned.ToString(CultureInfo.InvariantCulture),
        SnmpType.Counter32 or SnmpType.Gauge32 or SnmpType.TimeTicks => $"{Type}: {Unsigned.ToString(CultureInfo.InvariantCulture)}",
        SnmpType.Opaque => "Opaque: " + Convert.ToHexString(Octets ?? []),
        _ => Type.ToString(),
    };
}
