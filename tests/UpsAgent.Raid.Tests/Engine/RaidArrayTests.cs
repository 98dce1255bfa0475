using System.Security.Cryptography;
using UpsAgent.Raid.Engine;
using UpsAgent.Raid.Geometry;
using UpsAgent.Raid.Metadata;
using UpsAgent.Raid.Storage;
using UpsAgent.TestKit.Storage;

namespace UpsAgent.Raid.Tests.Engine;

[TestClass]
public sealed class RaidArrayTests
{
    public static IEnumerable<object[]> Shapes => TestArrays.ShapeRows;

    [TestMethod]
    [DynamicData(nameof(Shapes))]
    public void Random_writes_read_back_and_parity_checks_clean(RaidLevel level, int disks, int layout)
    {
        MemoryBlockDevice[] devices = TestArrays.Devices(disks);
        using RaidArray array = TestArrays.Create(devices, level, layout);
        byte[] shadow = new byte[array.LengthBytes];
        var random = new Random(disks * 100 + (int)level);
        TestArrays.RandomWrites(array, shadow, random, 60);
        AssertBytes.Equal(shadow, TestArrays.ReadAll(array));
        if (level != RaidLevel.Raid0)
        {
            Assert.AreEqual(0, array.Scrub(repair: false, CancellationToken.None).MismatchSectors);
        }

        array.Close();
        using RaidArray again = TestArrays.Assemble(devices);
        Assert.IsFalse(again.NeedsResync);
        AssertBytes.Equal(shadow, TestArrays.ReadAll(again));
    }

    [TestMethod]
    [DynamicData(nameof(Shapes))]
    public void Any_survivable_loss_still_reads_the_same_data(RaidLevel level, int disks, int layout)
    {
        if (level == RaidLevel.Raid0)
        {
            return;
        }

        MemoryBlockDevice[] devices = TestArrays.Devices(disks);
        byte[] shadow;
        using (RaidArray array = TestArrays.Create(devices, level, layout))
        {
            shadow = new byte[array.LengthBytes];
            TestArrays.RandomWrites(array, shadow, new Random(1), 30);
        }

        int redundancy = level == RaidLevel.Raid10 ? 1 : new ArrayGeometry(level, disks, 32, layout, 1024).Redundancy;
        foreach (int[] lost in Combinations(disks, Math.Min(redundancy, 2)))
        {
            IBlockDevice?[] present = [.. devices.Select((d, i) => lost.Contains(i) ? null : (IBlockDevice)d)];
            using RaidArray degraded = TestArrays.Assemble(present);
            AssertBytes.Equal(shadow, TestArrays.ReadAll(degraded), $"lost {string.Join(',', lost)}");
        }
    }

    [TestMethod]
    [DynamicData(nameof(Shapes))]
    public void Degraded_writes_survive_a_rebuild_onto_a_replacement(RaidLevel level, int disks, int layout)
    {
        if (level == RaidLevel.Raid0)
        {
            return;
        }

        MemoryBlockDevice[] devices = TestArrays.Devices(disks);
        var random = new Random(9);
        using RaidArray array = TestArrays.Create(devices, level, layout);
        byte[] shadow = new byte[array.LengthBytes];
        TestArrays.RandomWrites(array, shadow, random, 20);
        int victim = random.Next(disks);
        array.Fail(array.MemberInSlot(victim)!, "test");
        TestArrays.RandomWrites(array, shadow, random, 20);
        AssertBytes.Equal(shadow, TestArrays.ReadAll(array));
        var replacement = new MemoryBlockDevice("new", TestArrays.MemberBytes);
        RaidMember added = array.Add(replacement);
        Assert.AreEqual(MemberState.Recovering, added.State);
        Assert.AreEqual(1, array.Rebuild(null, CancellationToken.None));
        Assert.AreEqual(0, array.DegradedCount);
        Assert.AreEqual(0, array.Scrub(repair: false, CancellationToken.None).MismatchSectors);
        array.Close();

        // The rebuilt member alone with the others minus another one must give the same bytes.
        IBlockDevice?[] members = [.. devices.Select((d, i) => i == victim ? (IBlockDevice)replacement : d)];
        members[(victim + 1) % disks] = null;
        using RaidArray check = TestArrays.Assemble(members);
        AssertBytes.Equal(shadow, TestArrays.ReadAll(check));
    }

    [TestMethod]
    public void Io_errors_fail_the_member_and_the_array_carries_on()
    {
        MemoryBlockDevice[] inner = TestArrays.Devices(4);
        FaultyBlockDevice[] devices = [.. inner.Select(d => new FaultyBlockDevice(d))];
        using RaidArray array = TestArrays.Create(devices, RaidLevel.Raid5, 2);
        byte[] shadow = new byte[array.LengthBytes];
        var random = new Random(4);
        TestArrays.RandomWrites(array, shadow, random, 10);
        devices[2].Vanish();
        TestArrays.RandomWrites(array, shadow, random, 10);
        AssertBytes.Equal(shadow, TestArrays.ReadAll(array));
        Assert.AreEqual(MemberState.Faulty, array.Members.Single(m => m.Device == devices[2]).State);
        StringAssert.Contains(array.Log[0], "m2: failed");
        devices[0].Vanish();
        Assert.ThrowsExactly<ArrayFailedException>(() => array.Read(0, new byte[4096]));
    }

    [TestMethod]
    public void A_hot_spare_takes_over_a_failed_member()
    {
        MemoryBlockDevice[] devices = TestArrays.Devices(3);
        using RaidArray array = TestArrays.Create(devices, RaidLevel.Raid5, 2);
        byte[] shadow = new byte[array.LengthBytes];
        TestArrays.RandomWrites(array, shadow, new Random(2), 10);
        var spare = new MemoryBlockDevice("spare", TestArrays.MemberBytes);
        Assert.AreEqual(MemberState.Spare, array.Add(spare).State);
        array.Fail(array.MemberInSlot(1)!, "test");
        Assert.AreEqual(spare, array.MemberInSlot(1)!.Device);
        array.Rebuild(null, CancellationToken.None);
        array.Close();
        using RaidArray again = TestArrays.Assemble([devices[0], spare, devices[2]]);
        Assert.AreEqual(0, again.DegradedCount);
        AssertBytes.Equal(shadow, TestArrays.ReadAll(again));
    }

    [TestMethod]
    public void Rebuild_resumes_from_the_checkpointed_recovery_offset()
    {
        MemoryBlockDevice[] devices = TestArrays.Devices(4);
        byte[] shadow;
        var replacement = new MemoryBlockDevice("new", TestArrays.MemberBytes);
        using (RaidArray array = TestArrays.Create(devices, RaidLevel.Raid6, 2))
        {
            shadow = new byte[array.LengthBytes];
            TestArrays.RandomWrites(array, shadow, new Random(8), 20);
            array.Fail(array.MemberInSlot(3)!, "test");
            array.Add(replacement);
            using var cancel = new CancellationTokenSource();
            var progress = new SynchronousProgress(p =>
            {
                if (p.DoneSectors >= p.TotalSectors / 2)
                {
                    cancel.Cancel();
                }
            });
            Assert.ThrowsExactly<OperationCanceledException>(() => array.Rebuild(progress, cancel.Token, checkpointBytes: 256 * 1024));
        }

        MdSuperblock? sb = ArrayAssembler.ReadSuperblock(replacement, out string problem);
        Assert.IsNotNull(sb, problem);
        Assert.AreEqual(MdFeatures.RecoveryOffset, sb.FeatureMap & MdFeatures.RecoveryOffset);
        Assert.IsTrue(sb.RecoveryOffset > 0, "recovery_offset was checkpointed");
        using RaidArray resumed = TestArrays.Assemble([devices[0], devices[1], devices[2], replacement]);
        RaidMember member = resumed.MemberInSlot(3)!;
        Assert.AreEqual(MemberState.Recovering, member.State);
        Assert.AreEqual((long)sb.RecoveryOffset, member.RecoveredSectors);
        var reports = new List<RebuildProgress>();
        resumed.Rebuild(new SynchronousProgress(reports.Add), CancellationToken.None);
        Assert.IsTrue(reports[0].DoneSectors > (long)sb.RecoveryOffset - 1);
        AssertBytes.Equal(shadow, TestArrays.ReadAll(resumed));
        Assert.AreEqual(0, resumed.Scrub(repair: false, CancellationToken.None).MismatchSectors);
    }

    [TestMethod]
    [DataRow(RaidLevel.Raid5, 3)]
    [DataRow(RaidLevel.Raid6, 5)]
    [DataRow(RaidLevel.Raid1, 2)]
    [DataRow(RaidLevel.Raid10, 4)]
    public void Check_counts_corrupted_4k_pages_and_repair_clears_them(RaidLevel level, int disks)
    {
        MemoryBlockDevice[] devices = TestArrays.Devices(disks);
        using RaidArray array = TestArrays.Create(devices, level, LayoutNames.Default(level));
        byte[] shadow = new byte[array.LengthBytes];
        TestArrays.RandomWrites(array, shadow, new Random(6), 20);
        long dataOffset = 2048 * 512;
        devices[^1].Media[dataOffset + 100] ^= 0x55;
        devices[^1].Media[dataOffset + 40_000] ^= 0x55;
        Assert.AreEqual(16, array.Scrub(repair: false, CancellationToken.None).MismatchSectors);
        Assert.AreEqual(16, array.Scrub(repair: true, CancellationToken.None).MismatchSectors);
        Assert.AreEqual(0, array.Scrub(repair: false, CancellationToken.None).MismatchSectors);
    }

    private static IEnumerable<int[]> Combinations(int n, int k)
    {
        if (k == 1)
        {
            return Enumerable.Range(0, n).Select(i => new[] { i });
        }

        return from i in Enumerable.Range(0, n) from j in Enumerable.Range(i + 1, n - i - 1) select new[] { i, j };
    }

    internal sealed class SynchronousProgress(Action<RebuildProgress> report) : IProgress<RebuildProgress>
    {
        public void Report(RebuildProgress value) => report(value);
    }

    internal static string Sha256(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));
}
