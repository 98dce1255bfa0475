using UpsAgent.Raid.Engine;
using UpsAgent.Raid.Geometry;
using UpsAgent.Raid.Metadata;
using UpsAgent.Raid.Storage;
using UpsAgent.TestKit.Storage;

namespace UpsAgent.Raid.Tests.Engine;

// mdadm --assemble with an internal bitmap: a member that missed writes while the array ran without
// it comes back into its role at assembly and resyncs only the dirty chunks, when the bitmap still
// covers the gap; otherwise it is left out (stale) and needs a full rebuild.
[TestClass]
public sealed class ReAddAtAssemblyTests
{
    public static IEnumerable<object[]> Levels => ReAddTests.Levels;

    [TestMethod]
    [DynamicData(nameof(Levels))]
    public void A_member_that_missed_writes_is_re_added_at_assembly_and_resyncs_only_the_dirty_chunks(RaidLevel level, int disks, int layout)
    {
        MemoryBlockDevice[] devices = TestArrays.Devices(disks);
        byte[] shadow = RunWithoutMember(devices, level, layout, bitmap: true, absent: 1, writesWhileAway: 2);

        AssembleResult result = ArrayAssembler.Assemble(devices, TimeProvider.System);
        using RaidArray array = result.Array ?? throw new AssertFailedException(string.Join("; ", result.Errors));
        string note = result.Warnings.Single(w => w.StartsWith("m1:", StringComparison.Ordinal));
        StringAssert.Contains(note, "re-added as role 1");
        StringAssert.Contains(note, "dirty bitmap chunk(s)");
        RaidMember back = array.MemberInSlot(1)!;
        Assert.AreEqual(MemberState.Recovering, back.State);
        Assert.IsTrue(back.BitmapRecovery);
        Assert.IsTrue(array.Bitmap!.DirtyCount is > 0 and <= 6, $"{array.Bitmap.DirtyCount} dirty bits");
        MdSuperblock sb = ArrayAssembler.ReadSuperblock(devices[1], out string problem) ?? throw new AssertFailedException(problem);
        Assert.AreEqual(MdFeatures.RecoveryBitmap | MdFeatures.RecoveryOffset, sb.FeatureMap & (MdFeatures.RecoveryBitmap | MdFeatures.RecoveryOffset), "the re-add is on disk at once");

        array.RebuildWindowBytes = 64 * 1024;
        int writesBefore = devices[1].Writes;
        Assert.AreEqual(1, array.Rebuild(null, CancellationToken.None));

        // A full rebuild writes MemberBytes / 64 KiB windows (48 here) plus superblocks.
        Assert.IsTrue(devices[1].Writes - writesBefore < 16, $"{devices[1].Writes - writesBefore} writes to the re-added member");
        Assert.AreEqual(0, array.DegradedCount);
        AssertBytes.Equal(shadow, TestArrays.ReadAll(array));
        Assert.AreEqual(0, array.Scrub(repair: false, CancellationToken.None).MismatchSectors);
        array.Close();

        // The re-added member with another one missing serves the right bytes.
        IBlockDevice?[] members = [.. devices];
        members[0] = null;
        using RaidArray check = TestArrays.Assemble(members);
        AssertBytes.Equal(shadow, TestArrays.ReadAll(check));
    }

    [TestMethod]
    [DataRow(RaidLevel.Raid5, 4, (int)ParityAlgorithm.LeftSymmetric)]
    [DataRow(RaidLevel.Raid10, 4, 0x201)]
    [DataRow(RaidLevel.Raid1, 2, 0)]
    public void A_re_added_member_stopped_mid_resync_resumes_its_partial_resync_after_a_restart(RaidLevel level, int disks, int layout)
    {
        MemoryBlockDevice[] devices = TestArrays.Devices(disks);
        byte[] shadow = RunWithoutMember(devices, level, layout, bitmap: true, absent: 1, writesWhileAway: 40);
        long checkpoint;
        using (RaidArray array = TestArrays.Assemble(devices))
        {
            Assert.IsTrue(array.MemberInSlot(1)!.BitmapRecovery);
            array.RebuildWindowBytes = 32 * 1024;
            using var cancel = new CancellationTokenSource();
            var progress = new RaidArrayTests.SynchronousProgress(p =>
            {
                if (p.DoneSectors >= p.TotalSectors / 2)
                {
                    cancel.Cancel();
                }
            });
            Assert.ThrowsExactly<OperationCanceledException>(() => array.Rebuild(progress, cancel.Token, checkpointBytes: 128 * 1024));
            checkpoint = array.MemberInSlot(1)!.RecoveredSectors;
        }

        Assert.IsTrue(checkpoint > 0, "the partial resync left a checkpoint");
        AssembleResult result = ArrayAssembler.Assemble(devices, TimeProvider.System);
        using RaidArray again = result.Array ?? throw new AssertFailedException(string.Join("; ", result.Errors));
        RaidMember back = again.MemberInSlot(1)!;
        Assert.AreEqual(MemberState.Recovering, back.State);
        Assert.IsTrue(back.BitmapRecovery, "still a bitmap-based recovery after the restart");
        Assert.AreEqual(checkpoint, back.RecoveredSectors);
        Assert.IsFalse(result.Warnings.Any(w => w.Contains("stale", StringComparison.Ordinal)), string.Join("\n", result.Warnings));
        Assert.AreEqual(1, again.Rebuild(null, CancellationToken.None));
        AssertBytes.Equal(shadow, TestArrays.ReadAll(again));
        Assert.AreEqual(0, again.Scrub(repair: false, CancellationToken.None).MismatchSectors);
    }

    [TestMethod]
    public void Without_a_bitmap_a_member_that_missed_writes_is_left_out_as_stale()
    {
        MemoryBlockDevice[] devices = TestArrays.Devices(3);
        byte[] shadow = RunWithoutMember(devices, RaidLevel.Raid5, (int)ParityAlgorithm.LeftSymmetric, bitmap: false, absent: 2, writesWhileAway: 2);

        AssembleResult result = ArrayAssembler.Assemble(devices, TimeProvider.System);
        using RaidArray array = result.Array ?? throw new AssertFailedException(string.Join("; ", result.Errors));
        string note = result.Warnings.Single(w => w.StartsWith("m2:", StringComparison.Ordinal));
        StringAssert.Contains(note, "stale");
        StringAssert.Contains(note, "no write-intent bitmap");
        StringAssert.Contains(note, "full rebuild");
        Assert.IsNull(array.MemberInSlot(2));
        Assert.AreEqual(1, array.DegradedCount);
        AssertBytes.Equal(shadow, TestArrays.ReadAll(array));
    }

    [TestMethod]
    public void A_member_the_bitmap_no_longer_covers_is_left_out_and_a_member_whose_role_is_taken_too()
    {
        MemoryBlockDevice[] devices = TestArrays.Devices(4);
        byte[] shadow = RunWithoutMember(devices, RaidLevel.Raid5, (int)ParityAlgorithm.LeftSymmetric, bitmap: true, absent: 1, writesWhileAway: 2);

        // A stand-in takes role 1 and the array becomes whole: its bits are cleared.
        var stand = new MemoryBlockDevice("stand-in", TestArrays.MemberBytes);
        using (RaidArray array = TestArrays.Assemble([devices[0], null, devices[2], devices[3]]))
        {
            array.Add(stand);
            Assert.AreEqual(1, array.Rebuild(null, CancellationToken.None));
        }

        AssembleResult taken = ArrayAssembler.Assemble([devices[0], devices[1], devices[2], devices[3], stand], TimeProvider.System);
        using (RaidArray array = taken.Array ?? throw new AssertFailedException(string.Join("; ", taken.Errors)))
        {
            StringAssert.Contains(taken.Warnings.Single(w => w.StartsWith("m1:", StringComparison.Ordinal)), "role 1 is held by stand-in");
            Assert.AreSame(stand, array.MemberInSlot(1)!.Device);
            Assert.AreEqual(0, array.DegradedCount);

            // The stand-in leaves again; writes go on without role 1.
            array.Fail(array.MemberInSlot(1)!, "test");
            array.Remove(array.Members.Single(m => m.Device == stand));
            WriteAt(array, shadow, 200_000, 30_000, seed: 9);
        }

        AssembleResult result = ArrayAssembler.Assemble(devices, TimeProvider.System);
        using RaidArray again = result.Array ?? throw new AssertFailedException(string.Join("; ", result.Errors));
        string note = result.Warnings.Single(w => w.StartsWith("m1:", StringComparison.Ordinal));
        StringAssert.Contains(note, "does not cover what the member missed");
        StringAssert.Contains(note, "full rebuild");
        Assert.IsNull(again.MemberInSlot(1));
        AssertBytes.Equal(shadow, TestArrays.ReadAll(again));

        // Added back by hand it is rebuilt in full and right.
        RaidMember added = again.Add(devices[1]);
        Assert.IsFalse(added.BitmapRecovery);
        Assert.AreEqual(1, again.Rebuild(null, CancellationToken.None));
        AssertBytes.Equal(shadow, TestArrays.ReadAll(again));
        Assert.AreEqual(0, again.Scrub(repair: false, CancellationToken.None).MismatchSectors);
    }

    // Creates the array, writes it whole and stops it cleanly; assembles it without member `absent`,
    // writes a few regions and stops it cleanly again. Returns what the array holds.
    private static byte[] RunWithoutMember(MemoryBlockDevice[] devices, RaidLevel level, int layout, bool bitmap, int absent, int writesWhileAway)
    {
        byte[] shadow;
        using (RaidArray array = ArrayCreator.Create(
            devices,
            new ArrayCreateOptions(level) { ChunkKib = 16, Layout = layout, AssumeClean = true, Bitmap = bitmap, BitmapChunkBytes = 64 * 1024 },
            TimeProvider.System,
            CancellationToken.None))
        {
            shadow = new byte[array.LengthBytes];
            new Random(layout + 1).NextBytes(shadow);
            array.Write(0, shadow);
        }

        IBlockDevice?[] without = [.. devices];
        without[absent] = null;
        using (RaidArray array = TestArrays.Assemble(without))
        {
            Assert.AreEqual(1, array.DegradedCount);
            if (writesWhileAway <= 2)
            {
                WriteAt(array, shadow, array.LengthBytes / 3, 10_000, seed: 1);
                WriteAt(array, shadow, array.LengthBytes - 5_000, 5_000, seed: 2);
            }
            else
            {
                TestArrays.RandomWrites(array, shadow, new Random(writesWhileAway), writesWhileAway, maxLength: 8_000);
            }
        }

        return shadow;
    }

    private static void WriteAt(RaidArray array, byte[] shadow, long offset, int length, int seed)
    {
        byte[] data = new byte[length];
        new Random(seed).NextBytes(data);
        array.Write(offset, data);
        data.CopyTo(shadow, offset);
    }
}
