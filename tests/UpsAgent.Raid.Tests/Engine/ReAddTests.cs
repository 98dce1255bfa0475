using UpsAgent.Raid.Engine;
using UpsAgent.Raid.Geometry;
using UpsAgent.Raid.Metadata;
using UpsAgent.Raid.Storage;
using UpsAgent.TestKit.Storage;

namespace UpsAgent.Raid.Tests.Engine;

// mdadm --re-add: a member that left an array with a write-intent bitmap comes back into its old role
// and resyncs only the chunks written while it was away, as long as the bitmap still covers them.
[TestClass]
public sealed class ReAddTests
{
    public static IEnumerable<object[]> Levels =>
    [
        [RaidLevel.Raid1, 2, 0],
        [RaidLevel.Raid5, 4, (int)ParityAlgorithm.LeftSymmetric],
        [RaidLevel.Raid6, 5, (int)ParityAlgorithm.LeftSymmetric],
        [RaidLevel.Raid10, 4, 0x102],
    ];

    private static RaidArray Create(IReadOnlyList<IBlockDevice?> devices, RaidLevel level, int layout, bool bitmap = true) =>
        ArrayCreator.Create(
            devices,
            new ArrayCreateOptions(level) { ChunkKib = 16, Layout = layout, AssumeClean = true, Bitmap = bitmap, BitmapChunkBytes = 64 * 1024 },
            TimeProvider.System,
            CancellationToken.None);

    [TestMethod]
    [DynamicData(nameof(Levels))]
    public void A_removed_member_re_added_resyncs_only_the_chunks_written_while_it_was_away(RaidLevel level, int disks, int layout)
    {
        MemoryBlockDevice[] devices = TestArrays.Devices(disks);
        using RaidArray array = Create(devices, level, layout);
        array.RebuildWindowBytes = 64 * 1024;
        byte[] shadow = new byte[array.LengthBytes];
        TestArrays.RandomWrites(array, shadow, new Random(disks), 20);
        array.Quiesce();
        Assert.AreEqual(0, array.Bitmap!.DirtyCount, "a whole, quiesced array has a clean bitmap");

        RaidMember leaving = array.MemberInSlot(1)!;
        array.Fail(leaving, "test");
        array.Remove(leaving);
        WriteAt(array, shadow, array.LengthBytes / 3, 10_000, seed: 1);
        WriteAt(array, shadow, array.LengthBytes - 5_000, 5_000, seed: 2);
        long dirty = array.Bitmap.DirtyCount;
        Assert.IsTrue(dirty is > 0 and <= 6, $"{dirty} dirty bits");

        int writesBefore = devices[1].Writes;
        RaidMember back = array.Add(devices[1]);
        Assert.AreEqual(1, back.Slot);
        Assert.AreEqual(MemberState.Recovering, back.State);
        Assert.IsTrue(back.BitmapRecovery);
        Assert.AreEqual(leaving.Superblock.DeviceUuid, back.Superblock.DeviceUuid, "the device keeps its identity");
        StringAssert.Contains(array.Log[^1], "re-added as role 1");

        Assert.AreEqual(1, array.Rebuild(null, CancellationToken.None));
        int copies = devices[1].Writes - writesBefore;

        // A full rebuild writes MemberBytes / 64 KiB windows (48 here) plus superblocks; this one only the
        // windows over the dirty chunks plus a few superblock and bitmap writes.
        Assert.IsTrue(copies < 16, $"{copies} writes to the re-added member");
        Assert.AreEqual(0, array.DegradedCount);
        Assert.IsFalse(back.BitmapRecovery);
        AssertBytes.Equal(shadow, TestArrays.ReadAll(array));
        Assert.AreEqual(0, array.Scrub(repair: false, CancellationToken.None).MismatchSectors);
        array.Close();

        // The returned member with another one missing serves the right bytes.
        IBlockDevice?[] members = [.. devices];
        members[0] = null;
        using RaidArray check = TestArrays.Assemble(members);
        AssertBytes.Equal(shadow, TestArrays.ReadAll(check));
    }

    [TestMethod]
    public void A_re_added_member_keeps_its_bitmap_recovery_across_a_restart()
    {
        MemoryBlockDevice[] devices = TestArrays.Devices(4);
        byte[] shadow;
        using (RaidArray array = Create(devices, RaidLevel.Raid5, (int)ParityAlgorithm.LeftSymmetric))
        {
            shadow = new byte[array.LengthBytes];
            TestArrays.RandomWrites(array, shadow, new Random(7), 20);
            array.Quiesce();
            RaidMember leaving = array.MemberInSlot(2)!;
            array.Fail(leaving, "test");
            array.Remove(leaving);
            WriteAt(array, shadow, 100_000, 30_000, seed: 7);
            Assert.IsTrue(array.Add(devices[2]).BitmapRecovery);
        }

        MdSuperblock sb = ArrayAssembler.ReadSuperblock(devices[2], out string problem) ?? throw new AssertFailedException(problem);
        Assert.AreEqual(MdFeatures.RecoveryBitmap | MdFeatures.RecoveryOffset, sb.FeatureMap & (MdFeatures.RecoveryBitmap | MdFeatures.RecoveryOffset));
        using RaidArray again = TestArrays.Assemble(devices);
        RaidMember back = again.MemberInSlot(2)!;
        Assert.AreEqual(MemberState.Recovering, back.State);
        Assert.IsTrue(back.BitmapRecovery, "md's RECOVERY_BITMAP feature carries it over");
        again.RebuildWindowBytes = 64 * 1024;
        int writesBefore = devices[2].Writes;
        Assert.AreEqual(1, again.Rebuild(null, CancellationToken.None));
        Assert.IsTrue(devices[2].Writes - writesBefore < 16, $"{devices[2].Writes - writesBefore} writes");
        AssertBytes.Equal(shadow, TestArrays.ReadAll(again));
        Assert.AreEqual(0, again.Scrub(repair: false, CancellationToken.None).MismatchSectors);
        sb = ArrayAssembler.ReadSuperblock(devices[2], out problem) ?? throw new AssertFailedException(problem);
        Assert.AreEqual(MdFeatures.None, sb.FeatureMap & (MdFeatures.RecoveryBitmap | MdFeatures.RecoveryOffset), "in sync again");
    }

    [TestMethod]
    public void A_member_older_than_the_bitmaps_events_cleared_is_rebuilt_in_full()
    {
        MemoryBlockDevice[] devices = TestArrays.Devices(4);
        using RaidArray array = Create(devices, RaidLevel.Raid5, (int)ParityAlgorithm.LeftSymmetric);
        array.RebuildWindowBytes = 64 * 1024;
        byte[] shadow = new byte[array.LengthBytes];
        TestArrays.RandomWrites(array, shadow, new Random(3), 20);
        RaidMember leaving = array.MemberInSlot(1)!;
        array.Fail(leaving, "test");
        array.Remove(leaving);
        WriteAt(array, shadow, 0, 50_000, seed: 3);

        // Another device takes the role and the array becomes whole: the bits are cleared, so they no
        // longer say what the old member missed.
        var stand = new MemoryBlockDevice("stand-in", TestArrays.MemberBytes);
        array.Add(stand);
        array.Rebuild(null, CancellationToken.None);
        array.Quiesce();
        array.Fail(array.MemberInSlot(1)!, "test");
        array.Remove(array.Members.Single(m => m.Device == stand));

        int writesBefore = devices[1].Writes;
        RaidMember back = array.Add(devices[1]);
        Assert.IsFalse(back.BitmapRecovery);
        Assert.AreNotEqual(leaving.Superblock.DeviceUuid, back.Superblock.DeviceUuid, "added as a new device");
        Assert.AreEqual(1, array.Rebuild(null, CancellationToken.None));
        Assert.IsTrue(devices[1].Writes - writesBefore >= 48, "every window was copied");
        AssertBytes.Equal(shadow, TestArrays.ReadAll(array));
        Assert.AreEqual(0, array.Scrub(repair: false, CancellationToken.None).MismatchSectors);
    }

    [TestMethod]
    public void Without_a_bitmap_a_returning_member_is_rebuilt_in_full()
    {
        MemoryBlockDevice[] devices = TestArrays.Devices(3);
        using RaidArray array = Create(devices, RaidLevel.Raid5, (int)ParityAlgorithm.LeftSymmetric, bitmap: false);
        byte[] shadow = new byte[array.LengthBytes];
        TestArrays.RandomWrites(array, shadow, new Random(4), 10);
        RaidMember leaving = array.MemberInSlot(2)!;
        array.Fail(leaving, "test");
        array.Remove(leaving);
        WriteAt(array, shadow, 1000, 20_000, seed: 4);
        RaidMember back = array.Add(devices[2]);
        Assert.IsFalse(back.BitmapRecovery);
        Assert.AreEqual(1, array.Rebuild(null, CancellationToken.None));
        AssertBytes.Equal(shadow, TestArrays.ReadAll(array));
    }

    private static void WriteAt(RaidArray array, byte[] shadow, long offset, int length, int seed)
    {
        byte[] data = new byte[length];
        new Random(seed).NextBytes(data);
        array.Write(offset, data);
        data.CopyTo(shadow, offset);
    }
}
