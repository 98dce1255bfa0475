using System.Buffers.Binary;
using UpsAgent.Raid.Bitmap;
using UpsAgent.Raid.Engine;
using UpsAgent.Raid.Geometry;
using UpsAgent.Raid.Metadata;
using UpsAgent.Raid.Storage;
using UpsAgent.TestKit.Storage;

namespace UpsAgent.Raid.Tests.Engine;

// Fault-matrix rows for metadata that is well formed but wrong: a member superblock of the same array
// with other geometry and a valid checksum, and a damaged write-intent bitmap. Each gives a clear error
// naming the member and field, or an array that does not trust the bad part; never wrong data.
[TestClass]
public sealed class TamperedMetadataTests
{
    private const long BitmapByteOffset = MdSuperblock.ByteOffsetV12 + (ArrayCreator.BitmapOffsetSectors * 512);

    [TestMethod]
    [DataRow("level", 2)]
    [DataRow("level", 0)]
    [DataRow("layout", 1)]
    [DataRow("chunk", 3)]
    [DataRow("raid_disks", 2)]
    [DataRow("size", 0)]
    public void A_member_with_the_same_uuid_but_other_geometry_stops_assembly_naming_it_and_the_field(string field, int victim)
    {
        MemoryBlockDevice[] devices = TestArrays.Devices(4);
        byte[] shadow = CreateFilled(devices, RaidLevel.Raid5, (int)ParityAlgorithm.LeftSymmetric, bitmap: false);
        RewriteSuperblock(devices[victim], sb =>
        {
            switch (field)
            {
                case "level":
                    sb.Level = 6;
                    break;
                case "layout":
                    sb.Layout = (int)ParityAlgorithm.RightAsymmetric;
                    break;
                case "chunk":
                    sb.ChunkSectors *= 2;
                    break;
                case "raid_disks":
                    sb.RaidDisks = 5;
                    break;
                default:
                    sb.Size -= 64;
                    break;
            }
        });
        Assert.IsNotNull(ArrayAssembler.ReadSuperblock(devices[victim], out string problem), $"the tampered superblock is valid on its own: {problem}");

        AssembleResult result = ArrayAssembler.Assemble(devices, TimeProvider.System);
        Assert.IsNull(result.Array);
        string error = result.Errors.Single();
        StringAssert.StartsWith(error, $"m{victim}: superblock does not match the other members: {field} ");
        StringAssert.Contains(error, "give 'missing' in its place");

        // Left out, the other members start the array degraded, with every byte right.
        IBlockDevice?[] without = [.. devices];
        without[victim] = null;
        using RaidArray array = TestArrays.Assemble(without);
        Assert.AreEqual(1, array.DegradedCount);
        AssertBytes.Equal(shadow, TestArrays.ReadAll(array));
    }

    [TestMethod]
    public void Two_members_that_disagree_with_no_majority_stop_assembly_naming_both_shapes()
    {
        MemoryBlockDevice[] devices = TestArrays.Devices(2);
        CreateFilled(devices, RaidLevel.Raid1, 0, bitmap: false);
        RewriteSuperblock(devices[1], sb => sb.Level = 0);
        AssembleResult result = ArrayAssembler.Assemble(devices, TimeProvider.System);
        Assert.IsNull(result.Array);
        string error = result.Errors.Single();
        StringAssert.Contains(error, "no shape has a majority");
        StringAssert.Contains(error, "m0: RAID1");
        StringAssert.Contains(error, "m1: RAID0");
    }

    [TestMethod]
    public void A_bitmap_offset_that_points_outside_the_reserved_space_stops_assembly()
    {
        MemoryBlockDevice[] devices = TestArrays.Devices(3);
        CreateFilled(devices, RaidLevel.Raid5, (int)ParityAlgorithm.LeftSymmetric, bitmap: true);
        byte[] before = devices[1].Media.ToArray();
        foreach (MemoryBlockDevice d in devices)
        {
            RewriteSuperblock(d, sb => sb.BitmapOffset = (int)sb.DataOffset);
        }

        AssembleResult result = ArrayAssembler.Assemble(devices, TimeProvider.System);
        Assert.IsNull(result.Array);
        StringAssert.Contains(result.Errors.Single(), "bitmap_offset");
        AssertBytes.Equal(before.AsSpan(8192), devices[1].Media.AsSpan(8192), "nothing was written past the superblock");
    }

    public static IEnumerable<object[]> BitmapDamage =>
    [
        ["magic", "no bitmap superblock (magic"],
        ["version", "unsupported bitmap version 5"],
        ["chunk-not-power-of-two", "chunksize 1000 is not a power of two"],
        ["sync-size-too-large-for-the-room", "more than the 4096 bytes reserved"],
    ];

    [TestMethod]
    [DynamicData(nameof(BitmapDamage))]
    public void A_damaged_bitmap_copy_on_one_member_is_named_and_replaced_and_the_others_keep_the_partial_resync(string damage, string expected)
    {
        MemoryBlockDevice[] devices = TestArrays.Devices(4);
        (byte[] shadow, long dirtyBefore) = CrashWithDirtyBits(devices);
        Damage(devices[2], damage);

        AssembleResult result = ArrayAssembler.Assemble(devices, TimeProvider.System);
        using RaidArray array = result.Array ?? throw new AssertFailedException(string.Join("; ", result.Errors));
        StringAssert.Contains(result.Warnings.Single(w => w.StartsWith("m2: bitmap unusable", StringComparison.Ordinal)), expected);
        Assert.AreEqual(dirtyBefore, array.Bitmap!.DirtyCount, "the intact copies still say which chunks are dirty");
        Assert.IsNotNull(ReadBitmapHeader(devices[2], array.Uuid), "the bad copy was rewritten at assembly");

        Assert.IsTrue(array.Resync(CancellationToken.None) < array.Geometry.MemberSectors, "only the dirty chunks");
        AssertBytes.Equal(shadow, TestArrays.ReadAll(array));
        Assert.AreEqual(0, array.Scrub(repair: false, CancellationToken.None).MismatchSectors);
    }

    [TestMethod]
    [DynamicData(nameof(BitmapDamage))]
    public void A_bitmap_damaged_on_every_member_is_not_trusted_and_a_dirty_array_resyncs_in_full(string damage, string expected)
    {
        MemoryBlockDevice[] devices = TestArrays.Devices(4);
        (byte[] shadow, _) = CrashWithDirtyBits(devices);

        // Parity the bits would not have pointed at: only a full resync finds it.
        CorruptParityOutsideTheDirtyChunks(devices);
        foreach (MemoryBlockDevice d in devices)
        {
            Damage(d, damage);
        }

        AssembleResult result = ArrayAssembler.Assemble(devices, TimeProvider.System);
        using RaidArray array = result.Array ?? throw new AssertFailedException(string.Join("; ", result.Errors));
        Assert.AreEqual(4, result.Warnings.Count(w => w.Contains("bitmap unusable", StringComparison.Ordinal) && w.Contains(expected, StringComparison.Ordinal)), string.Join("\n", result.Warnings));
        StringAssert.Contains(string.Join("\n", result.Warnings), "no usable bitmap: every chunk counts as dirty (a full resync)");
        Assert.AreEqual(array.Bitmap!.Bits, array.Bitmap.DirtyCount);
        Assert.IsTrue(array.NeedsResync);

        Assert.AreEqual(array.Geometry.MemberSectors, array.Resync(CancellationToken.None));
        AssertBytes.Equal(shadow, TestArrays.ReadAll(array));
        Assert.AreEqual(0, array.Scrub(repair: false, CancellationToken.None).MismatchSectors);
        array.Close();
        Assert.IsNotNull(ReadBitmapHeader(devices[0], array.Uuid), "a good bitmap is back on the members");
    }

    [TestMethod]
    public void Bitmap_copies_that_disagree_on_the_chunk_size_are_not_trusted()
    {
        MemoryBlockDevice[] devices = TestArrays.Devices(4);
        (byte[] shadow, _) = CrashWithDirtyBits(devices);

        // A valid header (a power of two, one bit for the whole member) that no other copy agrees with.
        WriteU32(devices[3], BitmapByteOffset + 52, 1u << 31);
        AssembleResult result = ArrayAssembler.Assemble(devices, TimeProvider.System);
        using RaidArray array = result.Array ?? throw new AssertFailedException(string.Join("; ", result.Errors));
        string warning = result.Warnings.Single(w => w.StartsWith("bitmap copies disagree", StringComparison.Ordinal));
        StringAssert.Contains(warning, "m3 chunksize 2147483648 bytes");
        Assert.AreEqual(array.Bitmap!.Bits, array.Bitmap.DirtyCount, "full resync");
        Assert.AreEqual(array.Geometry.MemberSectors, array.Resync(CancellationToken.None));
        AssertBytes.Equal(shadow, TestArrays.ReadAll(array));
    }

    [TestMethod]
    public void A_clean_array_with_an_unreadable_bitmap_starts_with_a_clear_one_and_an_older_member_is_not_re_added()
    {
        MemoryBlockDevice[] devices = TestArrays.Devices(4);
        byte[] shadow = CreateFilled(devices, RaidLevel.Raid5, (int)ParityAlgorithm.LeftSymmetric, bitmap: true);
        IBlockDevice?[] without = [.. devices];
        without[1] = null;
        using (RaidArray degraded = TestArrays.Assemble(without))
        {
            byte[] data = new byte[20_000];
            new Random(3).NextBytes(data);
            degraded.Write(50_000, data);
            data.CopyTo(shadow, 50_000);
        }

        foreach (MemoryBlockDevice d in devices)
        {
            Damage(d, "magic");
        }

        AssembleResult result = ArrayAssembler.Assemble(devices, TimeProvider.System);
        using RaidArray array = result.Array ?? throw new AssertFailedException(string.Join("; ", result.Errors));
        StringAssert.Contains(string.Join("\n", result.Warnings), "the array was shut down cleanly, so a fresh, clear bitmap is written");
        StringAssert.Contains(result.Warnings.Single(w => w.StartsWith("m1:", StringComparison.Ordinal)), "bitmap could not be read intact");
        Assert.IsNull(array.MemberInSlot(1), "without trusted bits the old member's data cannot be patched up");
        Assert.IsFalse(array.NeedsResync);
        Assert.AreEqual(0, array.Bitmap!.DirtyCount);
        AssertBytes.Equal(shadow, TestArrays.ReadAll(array));

        RaidMember added = array.Add(devices[1]);
        Assert.IsFalse(added.BitmapRecovery, "added by hand it is rebuilt in full");
        Assert.AreEqual(1, array.Rebuild(null, CancellationToken.None));
        AssertBytes.Equal(shadow, TestArrays.ReadAll(array));
        Assert.AreEqual(0, array.Scrub(repair: false, CancellationToken.None).MismatchSectors);
    }

    private static byte[] CreateFilled(MemoryBlockDevice[] devices, RaidLevel level, int layout, bool bitmap)
    {
        using RaidArray array = ArrayCreator.Create(
            devices,
            new ArrayCreateOptions(level) { ChunkKib = 16, Layout = layout, AssumeClean = true, Bitmap = bitmap, BitmapChunkBytes = bitmap ? 64 * 1024 : null },
            TimeProvider.System,
            CancellationToken.None);
        byte[] shadow = new byte[array.LengthBytes];
        new Random(devices.Length).NextBytes(shadow);
        array.Write(0, shadow);
        return shadow;
    }

    // A clean, filled RAID5 with a 64 KiB-chunk bitmap; then a few writes and a "crash" (never closed),
    // so the array is dirty with some bits set. Returns the data and the dirty count.
    private static (byte[] Shadow, long Dirty) CrashWithDirtyBits(MemoryBlockDevice[] devices)
    {
        byte[] shadow = CreateFilled(devices, RaidLevel.Raid5, (int)ParityAlgorithm.LeftSymmetric, bitmap: true);
        RaidArray array = TestArrays.Assemble(devices);
        byte[] data = new byte[30_000];
        new Random(11).NextBytes(data);
        array.Write(100_000, data);
        data.CopyTo(shadow, 100_000);
        array.Flush();
        long dirty = array.Bitmap!.DirtyCount;
        Assert.IsTrue(dirty > 0 && dirty < array.Bitmap.Bits, $"{dirty} of {array.Bitmap.Bits} bits dirty");
        return (shadow, dirty);
    }

    // Flips a byte of the parity of the last stripe (far from the dirty chunks) on the member holding it.
    private static void CorruptParityOutsideTheDirtyChunks(MemoryBlockDevice[] devices)
    {
        MdSuperblock sb = ArrayAssembler.ReadSuperblock(devices[0], out string problem) ?? throw new AssertFailedException(problem);
        var g = new ArrayGeometry(RaidLevel.Raid5, devices.Length, (int)sb.ChunkSectors, sb.Layout, (long)sb.Size);
        long stripe = (g.MemberSectors / g.ChunkSectors) - 1;
        int disk = g.Row(stripe).PDisk;
        devices[disk].Media[((long)sb.DataOffset + (stripe * g.ChunkSectors)) * 512] ^= 0x5a;
    }

    private static void Damage(MemoryBlockDevice device, string damage)
    {
        switch (damage)
        {
            case "magic":
                WriteU32(device, BitmapByteOffset, 0x12345678);
                break;
            case "version":
                WriteU32(device, BitmapByteOffset + 4, 5);
                break;
            case "chunk-not-power-of-two":
                WriteU32(device, BitmapByteOffset + 52, 1000);
                break;
            default:
                BinaryPrimitives.WriteUInt64LittleEndian(device.Media.AsSpan((int)BitmapByteOffset + 40), 1UL << 30);
                break;
        }
    }

    private static void WriteU32(MemoryBlockDevice device, long offset, uint value) =>
        BinaryPrimitives.WriteUInt32LittleEndian(device.Media.AsSpan((int)offset), value);

    private static BitmapSuperblock? ReadBitmapHeader(MemoryBlockDevice device, MdUuid uuid) =>
        BitmapSuperblock.TryParse(device.Media.AsSpan((int)BitmapByteOffset, 512), uuid, out _);

    private static void RewriteSuperblock(MemoryBlockDevice device, Action<MdSuperblock> change)
    {
        MdSuperblock sb = ArrayAssembler.ReadSuperblock(device, out string problem) ?? throw new AssertFailedException(problem);
        change(sb);
        sb.ToBytes().CopyTo(device.Media, MdSuperblock.ByteOffsetV12);
    }
}
