using System.Buffers.Binary;
using UpsAgent.Raid.Metadata;

namespace UpsAgent.Raid.Bitmap;

/// <summary>
/// md's write-intent bitmap superblock, version 4 (md-bitmap.h bitmap_super_t; spec raid.md §3). 256
/// little-endian bytes at bitmap_offset sectors from the md superblock; the dirty bits follow it.
/// </summary>
public sealed class BitmapSuperblock
{
    public const uint Magic = 0x6d746962;
    public const uint Version = 4;
    public const int StructBytes = 256;

    /// <summary>mdadm's default bitmap chunk (DEFAULT_BITMAP_CHUNK).</summary>
    public const long DefaultChunkBytes = 64L << 20;

    /// <summary>mdadm's default flush period (DEFAULT_BITMAP_DELAY).</summary>
    public const uint DefaultDaemonSleepSeconds = 5;

    /// <summary>state bit: the bits are known to be wrong; everything must be resynced.</summary>
    public const uint StateStale = 1;

    public MdUuid Uuid { get; set; }

    public ulong Events { get; set; }

    public ulong EventsCleared { get; set; }

    /// <summary>Sectors the bits cover: per member for RAID 1/4/5/6, the whole array for RAID10.</summary>
    public ulong SyncSectors { get; set; }

    public uint State { get; set; }

    public uint ChunkBytes { get; set; }

    public uint DaemonSleepSeconds { get; set; } = DefaultDaemonSleepSeconds;

    public uint WriteBehind { get; set; }

    public uint SectorsReserved { get; set; }

    public long Bits => (long)((SyncSectors * 512 + ChunkBytes - 1) / ChunkBytes);

    /// <summary>
    /// The chunk mdadm picks (super1.c add_internal_bitmap1): the requested size or 64 MiB, doubled
    /// until one bit per chunk fits in the reserved space after the 256-byte header.
    /// </summary>
    public static uint ChooseChunkBytes(long syncSectors, long reservedSectors, long? requestedBytes)
    {
        long maxBits = ((reservedSectors * 512) - StructBytes) * 8;
        long chunk = requestedBytes ?? DefaultChunkBytes;
        if (chunk < 4096 || (chunk & (chunk - 1)) != 0)
        {
            throw new ArgumentException($"bitmap chunk {chunk} bytes must be a power of two of at least 4096");
        }

        while (((syncSectors * 512) + chunk - 1) / chunk > maxBits)
        {
            chunk *= 2;
        }

        if (chunk > uint.MaxValue / 2 + 1)
        {
            throw new ArgumentException($"a bitmap for {syncSectors} sectors does not fit in {reservedSectors} reserved sectors");
        }

        return (uint)chunk;
    }

    /// <summary>Parses and validates as md-bitmap.c md_bitmap_read_sb does; null with a reason otherwise.</summary>
    public static BitmapSuperblock? TryParse(ReadOnlySpan<byte> b, MdUuid arrayUuid, out string problem)
    {
        problem = string.Empty;
        if (b.Length < StructBytes)
        {
            problem = $"bitmap superblock is truncated ({b.Length} bytes)";
            return null;
        }

        uint magic = U32(b, 0);
        if (magic != Magic)
        {
            problem = $"no bitmap superblock (magic 0x{magic:x8}, expected 0x{Magic:x8})";
            return null;
        }

        uint version = U32(b, 4);
        if (version is < 3 or > 4)
        {
            problem = $"unsupported bitmap version {version} (3 or 4)";
            return null;
        }

        var sb = new BitmapSuperblock
        {
            Uuid = MdUuid.FromBytes(b[8..]),
            Events = U64(b, 24),
            EventsCleared = U64(b, 32),
            SyncSectors = U64(b, 40),
            State = U32(b, 48),
            ChunkBytes = U32(b, 52),
            DaemonSleepSeconds = U32(b, 56),
            WriteBehind = U32(b, 60),
            SectorsReserved = U32(b, 64),
        };
        if (sb.ChunkBytes < 512 || (sb.ChunkBytes & (sb.ChunkBytes - 1)) != 0)
        {
            problem = $"bitmap chunksize {sb.ChunkBytes} is not a power of two of at least 512";
        }
        else if (sb.DaemonSleepSeconds == 0)
        {
            problem = "bitmap daemon sleep is 0";
        }
        else if (sb.WriteBehind > 16383)
        {
            problem = $"bitmap write-behind {sb.WriteBehind} exceeds 16383";
        }
        else if (sb.Uuid != arrayUuid)
        {
            problem = $"bitmap belongs to array {sb.Uuid}, not {arrayUuid}";
        }

        return problem.Length == 0 ? sb : null;
    }

    public void WriteTo(Span<byte> b)
    {
        b[..StructBytes].Clear();
        W32(b, 0, Magic);
        W32(b, 4, Version);
        Uuid.WriteTo(b[8..]);
        W64(b, 24, Events);
        W64(b, 32, EventsCleared);
        W64(b, 40, SyncSectors);
        W32(b, 48, State);
        W32(b, 52, ChunkBytes);
        W32(b, 56, DaemonSleepSeconds);
        W32(b, 60, WriteBehind);
        W32(b, 64, SectorsReserved);
    }

    public BitmapSuperblock Clone() => (BitmapSuperblock)MemberwiseClone();

    private static uint U32(ReadOnlySpan<byte> b, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(b[offset..]);

    private static ulong U64(ReadOnlySpan<byte> b, int offset) => BinaryPrimitives.ReadUInt64LittleEndian(b[offset..]);

    private static void W32(Span<byte> b, int offset, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(b[offset..], value);

    private static void W64(Span<byte> b, int offset, ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(b[offset..], value);
}
