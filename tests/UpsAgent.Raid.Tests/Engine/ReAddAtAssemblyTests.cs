using UpsAgent.Raid.Engine;
using UpsAgent.Raid.Geometry;
using UpsAgent.Raid.Metadata;
using UpsAgent.Raid.Storage;
using UpsAgent.TestKit.Storage;

namespace UpsAgent.Raid.Tests.Engine;

// mdadm --assemble with an internal bitmap: a member that missed writes while the array ran without
// it comes back into its role at assembly and resyncs only the dirty chunks, when the bitmap still
// covers the gap; otherwise it is left out (stale) and needs a full rebuild. A member that was itself
// recovering when it left starts its recovery again (md's remove_and_add_spares zeroes recovery_offset
// on every hot-add), bitmap-based or full as it was; a spare that missed writes comes back as a spare.
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
        long checkpoint = StopResyncHalfWay(TestArrays.Assemble(devices), expectBitmapRecovery: true);
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

    [TestMethod]
    [DataRow(RaidLevel.Raid5, 3, (int)ParityAlgorithm.LeftSymmetric, true)]
    [DataRow(RaidLevel.Raid5, 3, (int)ParityAlgorithm.LeftSymmetric, false)]
    [DataRow(RaidLevel.Raid10, 4, 0x102, true)]
    [DataRow(RaidLevel.Raid1, 2, 0, false)]
    public void A_spare_that_missed_writes_comes_back_as_a_spare_and_takes_a_failed_role(RaidLevel level, int disks, int layout, bool bitmap)
    {
        MemoryBlockDevice[] devices = TestArrays.Devices(disks);
        var spare = new MemoryBlockDevice("spare", TestArrays.MemberBytes);
        byte[] shadow = CreateFilled(devices, level, layout, bitmap, array => Assert.AreEqual(MemberState.Spare, array.Add(spare).State));

        // The array runs without its spare; the writes move its events on.
        using (RaidArray array = TestArrays.Assemble(devices))
        {
            Assert.AreEqual(0, array.DegradedCount);
            TestArrays.RandomWrites(array, shadow, new Random(layout + disks), 12, maxLength: 8_000);
        }

        AssertStale(spare, devices[0]);
        AssembleResult result = ArrayAssembler.Assemble([.. devices, spare], TimeProvider.System);
        using RaidArray again = result.Array ?? throw new AssertFailedException(string.Join("; ", result.Errors));
        StringAssert.Contains(result.Warnings.Single(w => w.StartsWith("spare:", StringComparison.Ordinal)), "comes back as a spare");
        RaidMember back = again.Members.Single(m => m.Device == spare);
        Assert.AreEqual(MemberState.Spare, back.State);
        Assert.AreEqual(0, again.DegradedCount);
        Assert.AreEqual(RaidArrayTests.Sha256(shadow), RaidArrayTests.Sha256(TestArrays.ReadAll(again)));

        // It serves as a spare: the failed member's role goes to it and the rebuild fills it.
        again.Fail(again.MemberInSlot(1)!, "test");
        Assert.AreEqual(MemberState.Recovering, back.State);
        Assert.AreEqual(1, back.Slot);
        Assert.AreEqual(1, again.Rebuild(null, CancellationToken.None));
        Assert.AreEqual(RaidArrayTests.Sha256(shadow), RaidArrayTests.Sha256(TestArrays.ReadAll(again)));
        Assert.AreEqual(0, again.Scrub(repair: false, CancellationToken.None).MismatchSectors);
        again.Close();

        // The former spare in role 1 serves its data (for RAID10 and RAID1 with role 1's mirror gone too).
        IBlockDevice?[] members = [.. devices, spare];
        members[1] = null;
        if (level is RaidLevel.Raid10 or RaidLevel.Raid1)
        {
            members[0] = null;
        }

        using RaidArray check = TestArrays.Assemble(members);
        Assert.AreEqual(RaidArrayTests.Sha256(shadow), RaidArrayTests.Sha256(TestArrays.ReadAll(check)));
    }

    [TestMethod]
    [DataRow(RaidLevel.Raid5, 3, (int)ParityAlgorithm.LeftSymmetric, true)]
    [DataRow(RaidLevel.Raid6, 4, (int)ParityAlgorithm.LeftSymmetric, false)]
    [DataRow(RaidLevel.Raid10, 4, 0x102, false)]
    [DataRow(RaidLevel.Raid1, 2, 0, true)]
    public void A_spare_given_at_assembly_takes_the_empty_role_and_is_rebuilt_as_md_starts_recovery(RaidLevel level, int disks, int layout, bool bitmap)
    {
        MemoryBlockDevice[] devices = TestArrays.Devices(disks);
        var spare = new MemoryBlockDevice("spare", TestArrays.MemberBytes);
        byte[] shadow = CreateFilled(devices, level, layout, bitmap, array => Assert.AreEqual(MemberState.Spare, array.Add(spare).State));

        // Member 1 is gone; the spare is there.
        IBlockDevice?[] members = [.. devices, spare];
        members[1] = null;
        AssembleResult result = ArrayAssembler.Assemble(members, TimeProvider.System);
        using (RaidArray array = result.Array ?? throw new AssertFailedException(string.Join("; ", result.Errors)))
        {
            StringAssert.Contains(result.Warnings.Single(w => w.StartsWith("spare:", StringComparison.Ordinal)), "takes the empty role 1");
            RaidMember taken = array.Members.Single(m => m.Device == spare);
            Assert.AreEqual(MemberState.Recovering, taken.State);
            Assert.AreEqual(1, taken.Slot);
            Assert.AreEqual((ushort)1, ArrayAssembler.ReadSuperblock(spare, out _)!.DevRoles[ArrayAssembler.ReadSuperblock(spare, out _)!.DevNumber], "its superblock gives it role 1");
            AssertBytes.Equal(shadow, TestArrays.ReadAll(array));
            Assert.AreEqual(1, array.Rebuild(null, CancellationToken.None));
            Assert.AreEqual(0, array.DegradedCount);
            Assert.AreEqual(0, array.Scrub(repair: false, CancellationToken.None).MismatchSectors);
            array.Close();
        }

        // The former spare now holds role 1's data: it serves without role 0 too (mirrors: it is the copy).
        members[0] = null;
        using RaidArray check = TestArrays.Assemble(members);
        AssertBytes.Equal(shadow, TestArrays.ReadAll(check));
    }

    [TestMethod]
    public void A_spare_stays_a_spare_when_no_role_is_empty()
    {
        MemoryBlockDevice[] devices = TestArrays.Devices(3);
        var spare = new MemoryBlockDevice("spare", TestArrays.MemberBytes);
        byte[] shadow = CreateFilled(devices, RaidLevel.Raid5, (int)ParityAlgorithm.LeftSymmetric, bitmap: false, array => array.Add(spare));
        AssembleResult result = ArrayAssembler.Assemble([.. devices, spare], TimeProvider.System);
        using RaidArray array = result.Array!;
        Assert.AreEqual(MemberState.Spare, array.Members.Single(m => m.Device == spare).State);
        Assert.IsFalse(result.Warnings.Any(w => w.Contains("takes the empty role", StringComparison.Ordinal)));
        AssertBytes.Equal(shadow, TestArrays.ReadAll(array));
    }

    [TestMethod]
    public void A_stale_spare_whose_device_number_went_to_another_device_is_left_out()
    {
        MemoryBlockDevice[] devices = TestArrays.Devices(3);
        var spare = new MemoryBlockDevice("spare", TestArrays.MemberBytes);
        var newcomer = new MemoryBlockDevice("newcomer", TestArrays.MemberBytes);
        byte[] shadow = CreateFilled(devices, RaidLevel.Raid5, (int)ParityAlgorithm.LeftSymmetric, bitmap: true, array => array.Add(spare));
        uint spareNumber = ArrayAssembler.ReadSuperblock(spare, out _)!.DevNumber;

        // Without the spare, member 2 fails and stays listed as faulty; the device added in its place
        // gets the free device number the absent spare had.
        using (RaidArray array = TestArrays.Assemble(devices))
        {
            array.Fail(array.MemberInSlot(2)!, "test");
            RaidMember added = array.Add(newcomer);
            Assert.AreEqual(spareNumber, added.Superblock.DevNumber, "the test needs the spare's device number reused");
            Assert.AreEqual(1, array.Rebuild(null, CancellationToken.None));
            TestArrays.RandomWrites(array, shadow, new Random(3), 8, maxLength: 8_000);
        }

        AssertStale(spare, devices[0]);
        AssembleResult result = ArrayAssembler.Assemble([devices[0], devices[1], newcomer, spare], TimeProvider.System);
        using (RaidArray again = result.Array ?? throw new AssertFailedException(string.Join("; ", result.Errors)))
        {
            string note = result.Warnings.Single(w => w.StartsWith("spare:", StringComparison.Ordinal));
            StringAssert.Contains(note, $"device number {spareNumber} now belongs to newcomer");
            StringAssert.Contains(note, "left out");
            Assert.IsFalse(again.Members.Any(m => m.Device == spare));
            Assert.AreSame(newcomer, again.MemberInSlot(2)!.Device);
            Assert.AreEqual(0, again.DegradedCount);
            Assert.AreEqual(RaidArrayTests.Sha256(shadow), RaidArrayTests.Sha256(TestArrays.ReadAll(again)));
        }

        // With the newcomer absent, the spare still does not take the role its old number now names.
        AssembleResult without = ArrayAssembler.Assemble([devices[0], devices[1], spare], TimeProvider.System);
        using RaidArray degraded = without.Array ?? throw new AssertFailedException(string.Join("; ", without.Errors));
        StringAssert.Contains(without.Warnings.Single(w => w.StartsWith("spare:", StringComparison.Ordinal)), $"gives its device number {spareNumber} role 2, for which it holds no data");
        Assert.IsNull(degraded.MemberInSlot(2));
        Assert.IsFalse(degraded.Members.Any(m => m.Device == spare));
        Assert.AreEqual(RaidArrayTests.Sha256(shadow), RaidArrayTests.Sha256(TestArrays.ReadAll(degraded)));
    }

    [TestMethod]
    public void A_stale_spare_the_array_marked_faulty_stays_faulty()
    {
        MemoryBlockDevice[] devices = TestArrays.Devices(3);
        var spare = new MemoryBlockDevice("spare", TestArrays.MemberBytes);
        byte[] shadow = CreateFilled(devices, RaidLevel.Raid5, (int)ParityAlgorithm.LeftSymmetric, bitmap: false, array =>
        {
            RaidMember added = array.Add(spare);
            array.Fail(added, "test");
        });
        using (RaidArray array = TestArrays.Assemble(devices))
        {
            TestArrays.RandomWrites(array, shadow, new Random(4), 8, maxLength: 8_000);
        }

        AssertStale(spare, devices[0]);
        AssembleResult result = ArrayAssembler.Assemble([.. devices, spare], TimeProvider.System);
        using RaidArray again = result.Array ?? throw new AssertFailedException(string.Join("; ", result.Errors));
        StringAssert.Contains(result.Warnings.Single(w => w.StartsWith("spare:", StringComparison.Ordinal)), "marked faulty in the array");
        Assert.AreEqual(MemberState.Faulty, again.Members.Single(m => m.Device == spare).State);
        Assert.AreEqual(0, again.DegradedCount);
        Assert.AreEqual(RaidArrayTests.Sha256(shadow), RaidArrayTests.Sha256(TestArrays.ReadAll(again)));
    }

    [TestMethod]
    [DataRow(RaidLevel.Raid5, 4, (int)ParityAlgorithm.LeftSymmetric)]
    [DataRow(RaidLevel.Raid10, 4, 0x201)]
    [DataRow(RaidLevel.Raid1, 2, 0)]
    public void A_member_that_left_again_mid_resync_restarts_its_bitmap_resync_from_the_beginning(RaidLevel level, int disks, int layout)
    {
        MemoryBlockDevice[] devices = TestArrays.Devices(disks);
        byte[] shadow = RunWithoutMember(devices, level, layout, bitmap: true, absent: 1, writesWhileAway: 40);
        long checkpoint = StopResyncHalfWay(TestArrays.Assemble(devices), expectBitmapRecovery: true);
        MdSuperblock left = ArrayAssembler.ReadSuperblock(devices[1], out string problem) ?? throw new AssertFailedException(problem);
        Assert.AreEqual(MdFeatures.RecoveryOffset | MdFeatures.RecoveryBitmap, left.FeatureMap & (MdFeatures.RecoveryOffset | MdFeatures.RecoveryBitmap));

        // It goes away again; writes land below its old recovery_offset too (the array's first bytes
        // sit at the start of every member in these layouts).
        IBlockDevice?[] without = [.. devices];
        without[1] = null;
        using (RaidArray array = TestArrays.Assemble(without))
        {
            WriteAt(array, shadow, 0, 40_000, seed: 11);
            TestArrays.RandomWrites(array, shadow, new Random(12), 10, maxLength: 8_000);
        }

        AssertStale(devices[1], devices[0]);
        AssembleResult result = ArrayAssembler.Assemble(devices, TimeProvider.System);
        using (RaidArray again = result.Array ?? throw new AssertFailedException(string.Join("; ", result.Errors)))
        {
            string note = result.Warnings.Single(w => w.StartsWith("m1:", StringComparison.Ordinal));
            StringAssert.Contains(note, "re-added as role 1");
            StringAssert.Contains(note, $"recovery_offset {checkpoint} sectors");
            StringAssert.Contains(note, "starts again from the beginning");
            RaidMember back = again.MemberInSlot(1)!;
            Assert.AreEqual(MemberState.Recovering, back.State);
            Assert.IsTrue(back.BitmapRecovery, "still only the dirty chunks");
            Assert.AreEqual(0L, back.RecoveredSectors, "md restarts a re-added member's recovery");
            Assert.IsLessThan(again.Bitmap!.Header.Bits, again.Bitmap.DirtyCount, "a bitmap-based resync, not all of it");
            Assert.AreEqual(1, again.Rebuild(null, CancellationToken.None));
            AssertBytes.Equal(shadow, TestArrays.ReadAll(again));
            Assert.AreEqual(0, again.Scrub(repair: false, CancellationToken.None).MismatchSectors);
        }

        // Member 1 with member 0 missing: the writes below its old checkpoint reached it.
        IBlockDevice?[] partial = [.. devices];
        partial[0] = null;
        using RaidArray check = TestArrays.Assemble(partial);
        Assert.AreEqual(RaidArrayTests.Sha256(shadow), RaidArrayTests.Sha256(TestArrays.ReadAll(check)));
    }

    [TestMethod]
    [DataRow(RaidLevel.Raid5, 3, (int)ParityAlgorithm.LeftSymmetric)]
    [DataRow(RaidLevel.Raid10, 4, 0x10201)]
    [DataRow(RaidLevel.Raid6, 4, (int)ParityAlgorithm.LeftSymmetric)]
    public void A_replacement_that_left_mid_rebuild_is_taken_back_and_rebuilt_in_full_from_the_start(RaidLevel level, int disks, int layout)
    {
        MemoryBlockDevice[] devices = TestArrays.Devices(disks);
        var memory = new MemoryBlockDevice("new", TestArrays.MemberBytes);
        var replacement = new WatchedBlockDevice(memory);
        byte[] shadow = CreateFilled(devices, level, layout, bitmap: true, _ => { });
        RaidArray first = TestArrays.Assemble(devices);
        first.Fail(first.MemberInSlot(1)!, "test");
        Assert.IsFalse(first.Add(replacement).BitmapRecovery, "a blank device is rebuilt in full");
        long checkpoint = StopResyncHalfWay(first, expectBitmapRecovery: false);
        MdSuperblock left = ArrayAssembler.ReadSuperblock(replacement, out string problem) ?? throw new AssertFailedException(problem);
        Assert.AreEqual(MdFeatures.RecoveryOffset, left.FeatureMap & (MdFeatures.RecoveryOffset | MdFeatures.RecoveryBitmap));

        IBlockDevice?[] without = [.. devices];
        without[1] = null;
        using (RaidArray array = TestArrays.Assemble(without))
        {
            WriteAt(array, shadow, 0, 40_000, seed: 21);
            TestArrays.RandomWrites(array, shadow, new Random(22), 10, maxLength: 8_000);
        }

        AssertStale(replacement, devices[0]);
        IBlockDevice?[] members = [.. without, replacement];
        AssembleResult result = ArrayAssembler.Assemble(members, TimeProvider.System);
        using (RaidArray again = result.Array ?? throw new AssertFailedException(string.Join("; ", result.Errors)))
        {
            string note = result.Warnings.Single(w => w.StartsWith("new:", StringComparison.Ordinal));
            StringAssert.Contains(note, "re-added as role 1");
            StringAssert.Contains(note, $"part way through a full rebuild (recovery_offset {checkpoint} sectors)");
            StringAssert.Contains(note, "rebuilt in full from the start");
            RaidMember back = again.MemberInSlot(1)!;
            Assert.AreSame(replacement, back.Device);
            Assert.AreEqual(MemberState.Recovering, back.State);
            Assert.IsFalse(back.BitmapRecovery);
            Assert.AreEqual(0L, back.RecoveredSectors);
            replacement.ClearLogs();
            Assert.AreEqual(1, again.Rebuild(null, CancellationToken.None));
            long firstData = replacement.Writes.Where(w => w.Offset >= back.DataOffsetBytes).Min(w => w.Offset);
            Assert.AreEqual(back.DataOffsetBytes, firstData, "the rebuild starts again at the member's first data byte");
            AssertBytes.Equal(shadow, TestArrays.ReadAll(again));
            Assert.AreEqual(0, again.Scrub(repair: false, CancellationToken.None).MismatchSectors);
        }

        members[0] = null;
        using RaidArray check = TestArrays.Assemble(members);
        Assert.AreEqual(RaidArrayTests.Sha256(shadow), RaidArrayTests.Sha256(TestArrays.ReadAll(check)));
    }

    [TestMethod]
    public void Without_a_bitmap_a_replacement_that_left_mid_rebuild_is_left_out_as_stale()
    {
        MemoryBlockDevice[] devices = TestArrays.Devices(3);
        var replacement = new MemoryBlockDevice("new", TestArrays.MemberBytes);
        byte[] shadow = CreateFilled(devices, RaidLevel.Raid5, (int)ParityAlgorithm.LeftSymmetric, bitmap: false, _ => { });
        RaidArray first = TestArrays.Assemble(devices);
        first.Fail(first.MemberInSlot(1)!, "test");
        first.Add(replacement);
        _ = StopResyncHalfWay(first, expectBitmapRecovery: false);

        IBlockDevice?[] without = [devices[0], null, devices[2]];
        using (RaidArray array = TestArrays.Assemble(without))
        {
            TestArrays.RandomWrites(array, shadow, new Random(31), 10, maxLength: 8_000);
        }

        AssertStale(replacement, devices[0]);
        AssembleResult result = ArrayAssembler.Assemble([.. without, replacement], TimeProvider.System);
        using RaidArray again = result.Array ?? throw new AssertFailedException(string.Join("; ", result.Errors));
        string note = result.Warnings.Single(w => w.StartsWith("new:", StringComparison.Ordinal));
        StringAssert.Contains(note, "stale");
        StringAssert.Contains(note, "no write-intent bitmap");
        StringAssert.Contains(note, "full rebuild");
        Assert.IsNull(again.MemberInSlot(1));
        Assert.AreEqual(1, again.DegradedCount);
        Assert.AreEqual(RaidArrayTests.Sha256(shadow), RaidArrayTests.Sha256(TestArrays.ReadAll(again)));
    }

    // Rebuilds the array's recovering member until half way, then stops the array with the checkpoint
    // on disk; returns the member's recovery_offset.
    private static long StopResyncHalfWay(RaidArray array, bool expectBitmapRecovery)
    {
        using (array)
        {
            RaidMember recovering = array.Members.Single(m => m.State == MemberState.Recovering);
            Assert.AreEqual(expectBitmapRecovery, recovering.BitmapRecovery);
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
            Assert.IsGreaterThan(0L, recovering.RecoveredSectors, "the stopped rebuild left a checkpoint");
            return recovering.RecoveredSectors;
        }
    }

    // The member's events are more than one behind the array's: md's test for a stale member.
    private static void AssertStale(IBlockDevice member, IBlockDevice current)
    {
        MdSuperblock old = ArrayAssembler.ReadSuperblock(member, out string problem) ?? throw new AssertFailedException(problem);
        MdSuperblock now = ArrayAssembler.ReadSuperblock(current, out problem) ?? throw new AssertFailedException(problem);
        Assert.IsLessThan(now.Events, old.Events + 1, $"{member.Name} at events {old.Events}, the array at {now.Events}");
    }

    // Creates the array (with an internal bitmap or not), writes it whole, lets the caller change it,
    // and stops it cleanly. Returns what the array holds.
    private static byte[] CreateFilled(MemoryBlockDevice[] devices, RaidLevel level, int layout, bool bitmap, Action<RaidArray> then)
    {
        using RaidArray array = ArrayCreator.Create(
            devices,
            new ArrayCreateOptions(level) { ChunkKib = 16, Layout = layout, AssumeClean = true, Bitmap = bitmap, BitmapChunkBytes = 64 * 1024 },
            TimeProvider.System,
            CancellationToken.None);
        byte[] shadow = new byte[array.LengthBytes];
        new Random(layout + 7).NextBytes(shadow);
        array.Write(0, shadow);
        then(array);
        return shadow;
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
