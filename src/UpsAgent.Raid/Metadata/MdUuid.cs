namespace UpsAgent.Raid.Metadata;

/// <summary>The 16 UUID bytes as stored, printed the way mdadm prints them: four groups of four bytes.</summary>
public readonly record struct MdUuid(UInt128 Value)
{
    public static MdUuid FromBytes(ReadOnlySpan<byte> bytes) => new(System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(bytes[..16]));

    public static MdUuid NewRandom()
    {
        Span<byte> b = stackalloc byte[16];
        System.Security.Cryptography.RandomNumberGenerator.Fill(b);
        return FromBytes(b);
    }

    public void WriteTo(Span<byte> destination) =>
        System.Buffers.Binary.BinaryPrimitives.WriteUInt128BigEndian(destination[..16], Value);

    public override string ToString()
    {
        Span<byte> b = stackalloc byte[16];
        WriteTo(b);
        string hex = Convert.ToHexStringLower(b);
        return $"{hex[..8]}:{hex[8..16]}:{hex[16..24]}:{hex[24..]}";
    }
}
