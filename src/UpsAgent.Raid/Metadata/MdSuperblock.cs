using System.Buffers.Binary;
using System.Text;

namespace UpsAgent.Raid.Metadata;

/// <summary>
/// The md v1.2 superblock, field by field (md_p.h mdp_superblock_1; spec raid.md §1). All numbers are
/// little-endian on disk. Parse checks what the kernel's super_1_load checks; Write produces the bytes
/// mdadm 4.2 writes, checksum included.
/// </summary>
public sealed class MdSuperblock
{
    public const uint Magic = 0xa92b4efc;
    public const long SuperOffsetSectorsV12 = 8;
    public const long ByteOffsetV12 = SuperOffsetSectorsV12 * 512;
    public const int StructBytes = 256;
    public const int DefaultMaxDev = 128;
    public const int KernelMaxDev = (4096 - StructBytes) / 2;
    public const ulong MaxSector = ulong.MaxValue;

    public MdFeatures FeatureMap { get; set; }

    public MdUuid SetUuid { get; set; }

    public string SetName { get; set; } = string.Empty;

    public DateTimeOffset CreationTime { get; set; }

    public int Level { get; set; }

    public int Layout { get; set; }

    /// <summary>Sectors used on each member ("size").</summary>
    public ulong Size { get; set; }

    public uint ChunkSectors { get; set; }

    public uint RaidDisks { get; set; }

    public int BitmapOffset { get; set; }

    public uint NewLevel { get; set; }

    public ulong ReshapePosition { get; set; }

    public uint DeltaDisks { get; set; }

    public uint NewLayout { get; set; }

    public uint NewChunk { get; set; }

    public uint NewOffset { get; set; }

    public ulong DataOffset { get; set; }

    public ulong DataSize { get; set; }

    public ulong SuperOffset { get; set; } = SuperOffsetSectorsV12;

    /// <summary>Sectors from data_offset already rebuilt (feature RecoveryOffset).</summary>
    public ulong RecoveryOffset { get; set; }

    /// <summary>Index into dev_roles; not the role.</summary>
    public uint DevNumber { get; set; }

    public uint CorrectedReads { get; set; }

    public MdUuid DeviceUuid { get; set; }

    public byte DevFlags { get; set; }

    public byte BadBlockLogShift { get; set; }

    public ushort BadBlockLogSize { get; set; }

    public int BadBlockLogOffset { get; set; }

    public DateTimeOffset UpdateTime { get; set; }

    public ulong Events { get; set; }

    /// <summary><see cref="MaxSector"/> when clean; 0 while writes may be in flight.</summary>
    public ulong ResyncOffset { get; set; } = MaxSector;

    public uint Checksum { get; set; }

    public ushort[] DevRoles { get; set; } = NewRoles(DefaultMaxDev);

    public int MaxDev => DevRoles.Length;

    /// <summary>Bytes the superblock occupies on disk: the struct plus dev_roles, rounded up to 512.</summary>
    public int OnDiskBytes => (StructBytes + (2 * MaxDev) + 511) / 512 * 512;

    /// <summary>This member's role: dev_roles[dev_number].</summary>
    public ushort Role => DevNumber < DevRoles.Length ? DevRoles[DevNumber] : DiskRoles.Spare;

    public bool IsClean => ResyncOffset == MaxSector;

    public static ushort[] NewRoles(int maxDev)
    {
        ushort[] roles = new ushort[maxDev];
        Array.Fill(roles, DiskRoles.Spare);
        return roles;
    }

    public MdSuperblock Clone()
    {
        var copy = (MdSuperblock)MemberwiseClone();
        copy.DevRoles = (ushort[])DevRoles.Clone();
        return copy;
    }

    /// <summary>
    /// Reads a v1.2 superblock from the 4 KiB at byte 4096 of a member. Returns null and a reason naming
    /// the first check that failed, like the kernel's super_1_load.
    /// </summary>
    public static MdSuperblock? TryParse(ReadOnlySpan<byte> b, long deviceSectors, out string problem)
    {
        problem = string.Empty;
        if (b.Length < 512)
        {
            problem = $"superblock area is truncated ({b.Length} bytes)";
            return null;
        }

        uint magic = U32(b, 0);
        if (magic != Magic)
        {
            problem = b[..512].IndexOfAnyExcept((byte)0) < 0
                ? "no md superblock (the area at 4 KiB is blank)"
                : $"no md superblock (magic 0x{magic:x8}, expected 0x{Magic:x8})";
            return null;
        }

        if (U32(b, 4) != 1)
        {
            problem = $"unsupported superblock major version {U32(b, 4)}";
            return null;
        }

        uint maxDev = U32(b, 220);
        if (maxDev > KernelMaxDev)
        {
            problem = $"max_dev {maxDev} exceeds {KernelMaxDev}";
            return null;
        }

        int covered = StructBytes + (2 * (int)maxDev);
        if (b.Length < covered)
        {
            problem = $"superblock is truncated: {b.Length} bytes, max_dev {maxDev} needs {covered}";
            return null;
        }

        uint stored = U32(b, 216);
        uint computed = ComputeChecksum(b[..covered]);
        if (stored != computed)
        {
            problem = $"superblock checksum mismatch (stored {stored:x8}, computed {computed:x8})";
            return null;
        }

        var sb = new MdSuperblock
        {
            FeatureMap = (MdFeatures)U32(b, 8),
            SetUuid = MdUuid.FromBytes(b[16..]),
            SetName = Encoding.UTF8.GetString(b.Slice(32, 32)).TrimEnd('\0'),
            CreationTime = FromMdTime(U64(b, 64)),
            Level = (int)U32(b, 72),
            Layout = (int)U32(b, 76),
            Size = U64(b, 80),
            ChunkSectors = U32(b, 88),
            RaidDisks = U32(b, 92),
            BitmapOffset = (int)U32(b, 96),
            NewLevel = U32(b, 100),
            ReshapePosition = U64(b, 104),
            DeltaDisks = U32(b, 112),
            NewLayout = U32(b, 116),
            NewChunk = U32(b, 120),
            NewOffset = U32(b, 124),
            DataOffset = U64(b, 128),
            DataSize = U64(b, 136),
            SuperOffset = U64(b, 144),
            RecoveryOffset = U64(b, 152),
            DevNumber = U32(b, 160),
            CorrectedReads = U32(b, 164),
            DeviceUuid = MdUuid.FromBytes(b[168..]),
            DevFlags = b[184],
            BadBlockLogShift = b[185],
            BadBlockLogSize = BinaryPrimitives.ReadUInt16LittleEndian(b[186..]),
            BadBlockLogOffset = (int)U32(b, 188),
            UpdateTime = FromMdTime(U64(b, 192)),
            Events = U64(b, 200),
            ResyncOffset = U64(b, 208),
            Checksum = stored,
            DevRoles = new ushort[maxDev],
        };
        for (int i = 0; i < maxDev; i++)
        {
            sb.DevRoles[i] = BinaryPrimitives.ReadUInt16LittleEndian(b[(StructBytes + (2 * i))..]);
        }

        problem = sb.KernelProblem(deviceSectors, U32(b, 12), b.Slice(224, 32)) ?? string.Empty;
        return problem.Length == 0 ? sb : null;
    }

    // The remaining super_1_load checks, in its order.
    private string? KernelProblem(long deviceSectors, uint pad0, ReadOnlySpan<byte> pad3)
    {
        if (SuperOffset != SuperOffsetSectorsV12)
        {
            return $"super_offset is {SuperOffset}, a v1.2 superblock must say 8";
        }

        if ((FeatureMap & ~MdFeatures.All) != 0)
        {
            return $"unknown feature bits 0x{(uint)(FeatureMap & ~MdFeatures.All):x}";
        }

        if (pad0 != 0 || pad3.IndexOfAnyExcept((byte)0) >= 0)
        {
            return "reserved superblock padding is not zero";
        }

        if (DataSize < 10)
        {
            return $"data_size {DataSize} is too small";
        }

        if (DataOffset < SuperOffset + (ulong)(OnDiskBytes / 512))
        {
            return $"data_offset {DataOffset} overlaps the superblock";
        }

        if (deviceSectors >= 0 && DataSize > (ulong)deviceSectors - Math.Min(DataOffset, (ulong)deviceSectors))
        {
            return $"data_size {DataSize} sectors from data_offset {DataOffset} runs past the end of a {deviceSectors}-sector member";
        }

        return null;
    }

    /// <summary>The bytes mdadm writes: struct plus dev_roles, padded to 512, with a fresh checksum.</summary>
    public byte[] ToBytes()
    {
        byte[] buffer = new byte[OnDiskBytes];
        WriteTo(buffer);
        return buffer;
    }

    public void WriteTo(Span<byte> b)
    {
        b[..OnDiskBytes].Clear();
        W32(b, 0, Magic);
        W32(b, 4, 1);
        W32(b, 8, (uint)FeatureMap);
        SetUuid.WriteTo(b[16..]);
        byte[] name = Encoding.UTF8.GetBytes(SetName);
        if (name.Length > 32)
        {
            throw new InvalidOperationException($"array name '{SetName}' is longer than 32 bytes");
        }

        name.CopyTo(b[32..]);
        W64(b, 64, ToMdTime(CreationTime));
        W32(b, 72, (uint)Level);
        W32(b, 76, (uint)Layout);
        W64(b, 80, Size);
        W32(b, 88, ChunkSectors);
        W32(b, 92, RaidDisks);
        W32(b, 96, (uint)BitmapOffset);
        W32(b, 100, NewLevel);
        W64(b, 104, ReshapePosition);
        W32(b, 112, DeltaDisks);
        W32(b, 116, NewLayout);
        W32(b, 120, NewChunk);
        W32(b, 124, NewOffset);
        W64(b, 128, DataOffset);
        W64(b, 136, DataSize);
        W64(b, 144, SuperOffset);
        W64(b, 152, RecoveryOffset);
        W32(b, 160, DevNumber);
        W32(b, 164, CorrectedReads);
        DeviceUuid.WriteTo(b[168..]);
        b[184] = DevFlags;
        b[185] = BadBlockLogShift;
        BinaryPrimitives.WriteUInt16LittleEndian(b[186..], BadBlockLogSize);
        W32(b, 188, (uint)BadBlockLogOffset);
        W64(b, 192, ToMdTime(UpdateTime));
        W64(b, 200, Events);
        W64(b, 208, ResyncOffset);
        W32(b, 220, (uint)MaxDev);
        for (int i = 0; i < MaxDev; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(b[(StructBytes + (2 * i))..], DevRoles[i]);
        }

        Checksum = ComputeChecksum(b[..(StructBytes + (2 * MaxDev))]);
        W32(b, 216, Checksum);
    }

    /// <summary>
    /// calc_sb_1_csum (md.c, super1.c): sum the LE u32 words of struct + dev_roles with sb_csum taken as
    /// zero, add a trailing u16 if any, then fold the 64-bit sum once.
    /// </summary>
    public static uint ComputeChecksum(ReadOnlySpan<byte> covered)
    {
        ulong sum = 0;
        int words = covered.Length / 4;
        for (int i = 0; i < words; i++)
        {
            if (i != 216 / 4)
            {
                sum += BinaryPrimitives.ReadUInt32LittleEndian(covered[(i * 4)..]);
            }
        }

        if (covered.Length % 4 == 2)
        {
            sum += BinaryPrimitives.ReadUInt16LittleEndian(covered[(words * 4)..]);
        }

        return (uint)((sum & 0xffffffff) + (sum >> 32));
    }

    // Low 40 bits are Unix seconds, the top 24 bits microseconds (spec §1).
    private static DateTimeOffset FromMdTime(ulong value) =>
        DateTimeOffset.FromUnixTimeSeconds((long)(value & 0xFF_FFFF_FFFF)).AddTicks((long)(value >> 40) * 10);

    private static ulong ToMdTime(DateTimeOffset time)
    {
        long seconds = Math.Max(0, time.ToUnixTimeSeconds());
        long micros = (time.UtcTicks % TimeSpan.TicksPerSecond) / 10;
        return ((ulong)seconds & 0xFF_FFFF_FFFF) | ((ulong)micros << 40);
    }

    private static uint U32(ReadOnlySpan<byte> b, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(b[offset..]);

    private static ulong U64(ReadOnlySpan<byte> b, int offset) => BinaryPrimitives.ReadUInt64LittleEndian(b[offset..]);

    private static void W32(Span<byte> b, int offset, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(b[offset..], value);

    private static void W64(Span<byte> b, int offset, ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(b[offset..], value);
}
