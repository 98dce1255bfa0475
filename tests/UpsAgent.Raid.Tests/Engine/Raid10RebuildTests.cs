using UpsAgent.Raid.Engine;
using UpsAgent.Raid.Geometry;
using UpsAgent.Raid.Metadata;
using UpsAgent.Raid.Storage;
using UpsAgent.TestKit.Storage;

namespace UpsAgent.Raid.Tests.Engine;

// RAID10 recovery walks the replacement's own rows front to back (md raid10_sync_request does the same
// through raid10_find_virt), so near, far and offset layouts all checkpoint recovery_offset and resume.
[TestClass]
public sealed class Raid10RebuildTests
{
    public static IEnumerable<object[]> Layouts =>
    [
        [4, 0x102, 1],
        [3, 0x102, 2],
        [5, 0x102, 4],
        [4, 0x103, 0],
        [4, 0x201, 2],
        [3, 0x201, 1],
        [4, 0x10201, 3],
        [3, 0x10201, 0],
    ];

    [TestMethod]
    [DataRow(4, 0x102)]
    [DataRow(3, 0x102)]
    [DataRow(5, 0x103)]
    [DataRow(4, 0x201)]
    [DataRow(5, 0x201)]
    [DataRow(4, 0x10201)]
    [DataRow(3, 0x10201)]
    [DataRow(4, 0x202)]
    public void Every_member_row_maps_back_to_the_copy_that_lives_there(int disks, int layout)
    {
        // Member sizes that leave partial rows and unused tails too.
        var copies = new MemberAddress[4];
        foreach (long memberSectors in new long[] { 1024, 1040, 1056, 1072 })
        {
            var g = new ArrayGeometry(RaidLevel.Raid10, disks, 16, layout, memberSectors);
            var found = new Dictionary<(int, long), long>();
            for (long logical = 0; logical < g.ArraySectors; logical += 8)
            {
                int n = g.MapCopies(logical, copies);
                for (int i = 0; i < n; i++)
                {
                    Assert.IsTrue(found.TryAdd((copies[i].Disk, copies[i].Sector), logical), $"two chunks on disk {copies[i].Disk} sector {copies[i].Sector}");
                }
            }

            for (int disk = 0; disk < disks; disk++)
            {
                for (long sector = 0; sector < g.MemberSectors; sector += 8)
                {
                    long expected = found.TryGetValue((disk, sector), out long l) ? l : -1;
                    Assert.AreEqual(expected, g.MapToArray(disk, sector), $"layout 0x{layout:x}, {disks} disks, {memberSectors} sectors: disk {disk} sector {sector}");
                }
            }
        }
    }

    [TestMethod]
    [DynamicData(nameof(Layouts))]
    public void An_interrupted_rebuild_resumes_from_its_checkpoint_after_reassembly(int disks, int layout, int victim)
    {
        MemoryBlockDevice[] devices = TestArrays.Devices(disks);
        var memory = new MemoryBlockDevice("new", TestArrays.MemberBytes);
        var replacement = new WatchedBlockDevice(memory);
        byte[] shadow;
        long total;
        using (RaidArray array = TestArrays.Create(devices, RaidLevel.Raid10, layout))
        {
            shadow = Fill(array, disks + layout);
            array.Fail(array.MemberInSlot(victim)!, "test");
            array.Add(replacement);
            array.RebuildWindowBytes = (80 * 1024) + 512;
            total = array.Geometry.MemberSectors;
            using var cancel = new CancellationTokenSource();
            var progress = new RaidArrayTests.SynchronousProgress(p =>
            {
                if (p.DoneSectors >= p.TotalSectors / 2)
                {
                    cancel.Cancel();
                }
            });
            Assert.ThrowsExactly<OperationCanceledException>(() => array.Rebuild(progress, cancel.Token, checkpointBytes: 256 * 1024));

            // Foreground writes while the member is part rebuilt, below and above its recovery_offset.
            TestArrays.RandomWrites(array, shadow, new Random(layout), 30);
        }

        MdSuperblock sb = ArrayAssembler.ReadSuperblock(replacement, out string problem) ?? throw new AssertFailedException(problem);
        Assert.AreEqual(MdFeatures.RecoveryOffset, sb.FeatureMap & MdFeatures.RecoveryOffset);
        Assert.IsTrue(sb.RecoveryOffset >= (ulong)(total / 2) && sb.RecoveryOffset < (ulong)total, $"recovery_offset {sb.RecoveryOffset} of {total}");

        // Whatever the checkpoint claims is really on the replacement.
        long claimed = (long)sb.RecoveryOffset * 512;
        long dataOffset = (long)sb.DataOffset * 512;
        byte[] expected = RebuildWindowTests.ExpectedMemberBytes(RaidLevel.Raid10, disks, layout, victim, shadow, dataOffset, TestArrays.MemberBytes - dataOffset);
        AssertBytes.Equal(expected.AsSpan(0, (int)claimed), memory.Media.AsSpan((int)dataOffset, (int)claimed), "recovered part at the checkpoint");

        IBlockDevice[] members = [.. devices.Select((d, i) => i == victim ? replacement : (IBlockDevice)d)];
        using (RaidArray resumed = TestArrays.Assemble(members))
        {
            Assert.AreEqual((long)sb.RecoveryOffset, resumed.MemberInSlot(victim)!.RecoveredSectors);
            replacement.ClearLogs();
            resumed.RebuildWindowBytes = RaidArray.DefaultRebuildWindowBytes;
            Assert.AreEqual(1, resumed.Rebuild(null, CancellationToken.None));

            // Only the rows past the checkpoint were copied again.
            long firstData = replacement.Writes.Where(w => w.Offset >= dataOffset).Min(w => w.Offset);
            Assert.IsTrue(firstData >= dataOffset + claimed, $"resumed rebuild wrote at member byte {firstData - dataOffset}, below the checkpoint {claimed}");
            Assert.AreEqual(RaidArrayTests.Sha256(shadow), RaidArrayTests.Sha256(TestArrays.ReadAll(resumed)));
            Assert.AreEqual(0, resumed.Scrub(repair: false, CancellationToken.None).MismatchSectors);
        }

        AssertBytes.Equal(expected, memory.Media.AsSpan((int)dataOffset, expected.Length), "the whole rebuilt member");

        // The rebuilt member serves reads with a neighbour left out.
        IBlockDevice?[] partial = [.. members];
        partial[(victim + 1) % disks] = null;
        using RaidArray check = TestArrays.Assemble(partial);
        Assert.AreEqual(RaidArrayTests.Sha256(shadow), RaidArrayTests.Sha256(TestArrays.ReadAll(check)));
    }

    [TestMethod]
    [DataRow(4, 0x102, 8)]
    [DataRow(4, 0x201, 11)]
    [DataRow(3, 0x10201, 14)]
    public void Recovery_offset_on_disk_only_grows_and_never_claims_bytes_whose_write_has_not_landed(int disks, int layout, int writesBeforeFailure)
    {
        MemoryBlockDevice[] devices = TestArrays.Devices(disks);
        var memory = new MemoryBlockDevice("new", TestArrays.MemberBytes);
        var watched = new WatchedBlockDevice(memory);
        var replacement = new FaultyBlockDevice(watched);
        using RaidArray array = TestArrays.Create(devices, RaidLevel.Raid10, layout);
        byte[] shadow = Fill(array, layout + 1);
        const int victim = 1;
        long dataOffset = (long)array.MemberInSlot(victim)!.Superblock.DataOffset * 512;
        byte[] expected = RebuildWindowTests.ExpectedMemberBytes(RaidLevel.Raid10, disks, layout, victim, shadow, dataOffset, TestArrays.MemberBytes - dataOffset);

        // After every superblock write to the replacement: recovery_offset is no lower than before, and
        // every byte below it already holds the right data.
        var problems = new List<string>();
        var offsets = new List<long>();
        watched.AfterWrite = (offset, _) =>
        {
            if (offset != MdSuperblock.ByteOffsetV12)
            {
                return;
            }

            MdSuperblock? sb = MdSuperblock.TryParse(memory.Media.AsSpan((int)offset, 4096), memory.LengthBytes / 512, out string problem);
            if (sb is null)
            {
                problems.Add(problem);
                return;
            }

            long ro = (sb.FeatureMap & MdFeatures.RecoveryOffset) != 0 ? (long)sb.RecoveryOffset : -1;
            if (ro < 0)
            {
                return;
            }

            if (offsets.Count > 0 && ro < offsets[^1])
            {
                problems.Add($"recovery_offset went back from {offsets[^1]} to {ro}");
            }

            offsets.Add(ro);
            int claimed = (int)(ro * 512);
            int at = expected.AsSpan(0, claimed).CommonPrefixLength(memory.Media.AsSpan((int)dataOffset, claimed));
            if (at != claimed)
            {
                problems.Add($"recovery_offset {ro} claims member byte {at}, which does not hold its data yet");
            }
        };

        array.Fail(array.MemberInSlot(victim)!, "test");
        RaidMember added = array.Add(replacement);
        array.RebuildWindowBytes = 32 * 1024;
        replacement.FailAfterWrites(writesBeforeFailure);

        Assert.AreEqual(0, array.Rebuild(null, CancellationToken.None, checkpointBytes: 32 * 1024));
        Assert.AreEqual(MemberState.Faulty, added.State);
        Assert.AreEqual(0, problems.Count, string.Join("\n", problems));
        Assert.IsTrue(offsets.Count(o => o > 0) >= 2, $"checkpoints seen: {string.Join(", ", offsets)}");
        Assert.AreEqual(RaidArrayTests.Sha256(shadow), RaidArrayTests.Sha256(TestArrays.ReadAll(array)));
    }

    [TestMethod]
    [DataRow(4, 0x102, 0)]
    [DataRow(4, 0x201, 1)]
    [DataRow(4, 0x10201, 2)]
    public void Foreground_reads_use_the_recovering_member_only_below_its_recovery_offset(int disks, int layout, int victim)
    {
        MemoryBlockDevice[] devices = TestArrays.Devices(disks);
        var replacement = new WatchedBlockDevice(new MemoryBlockDevice("new", TestArrays.MemberBytes));
        using RaidArray array = TestArrays.Create(devices, RaidLevel.Raid10, layout);
        byte[] shadow = Fill(array, layout + 2);
        array.Fail(array.MemberInSlot(victim)!, "test");
        RaidMember added = array.Add(replacement);
        array.RebuildWindowBytes = 64 * 1024;
        using var cancel = new CancellationTokenSource();
        var progress = new RaidArrayTests.SynchronousProgress(p =>
        {
            if (p.DoneSectors >= p.TotalSectors / 2)
            {
                cancel.Cancel();
            }
        });
        Assert.ThrowsExactly<OperationCanceledException>(() => array.Rebuild(progress, cancel.Token, checkpointBytes: 128 * 1024));
        Assert.AreEqual(MemberState.Recovering, added.State);
        long limit = added.DataOffsetBytes + (added.RecoveredSectors * 512);

        replacement.ClearLogs();
        AssertBytes.Equal(shadow, TestArrays.ReadAll(array));
        var dataReads = replacement.Reads.Where(r => r.Offset >= added.DataOffsetBytes).ToList();
        Assert.IsTrue(dataReads.Count > 0, "the part already rebuilt serves reads");
        Assert.IsTrue(dataReads.All(r => r.Offset + r.Length <= limit), $"a read reached member byte {dataReads.Max(r => r.Offset + r.Length) - added.DataOffsetBytes}, past recovery_offset {limit - added.DataOffsetBytes}");
    }

    // The whole array with random bytes, so every chunk (and every misplaced copy) differs.
    private static byte[] Fill(RaidArray array, int seed)
    {
        byte[] shadow = new byte[array.LengthBytes];
        new Random(seed).NextBytes(shadow);
        array.Write(0, shadow);
        return shadow;
    }
}
