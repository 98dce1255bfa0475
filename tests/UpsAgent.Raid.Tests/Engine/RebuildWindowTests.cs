using UpsAgent.Raid.Engine;
using UpsAgent.Raid.Geometry;
using UpsAgent.Raid.Metadata;
using UpsAgent.Raid.Storage;
using UpsAgent.TestKit.Storage;

namespace UpsAgent.Raid.Tests.Engine;

// The rebuild works a window of stripes (or a large piece) at a time and writes the window to the
// replacement in the background while it reads the next one.
[TestClass]
public sealed class RebuildWindowTests
{
    public static IEnumerable<object[]> ShapesAndWindows =>
        from s in TestArrays.Shapes
        where s.Level != RaidLevel.Raid0
        from window in new[] { 512, (80 * 1024) + 512, 7 << 20 }
        select new object[] { s.Level, s.Disks, s.Layout, window };

    [TestMethod]
    [DynamicData(nameof(ShapesAndWindows))]
    public void Any_window_size_rebuilds_the_whole_member_including_a_short_last_window(RaidLevel level, int disks, int layout, int windowBytes)
    {
        // 512 B is below a chunk (one stripe per window), 80.5 KiB leaves a short last window and 7 MiB
        // is larger than the member (one window, capped).
        MemoryBlockDevice[] devices = TestArrays.Devices(disks);
        using RaidArray array = TestArrays.Create(devices, level, layout);
        byte[] shadow = new byte[array.LengthBytes];
        var random = new Random(windowBytes + disks);
        TestArrays.RandomWrites(array, shadow, random, 20);
        int victim = random.Next(disks);
        array.Fail(array.MemberInSlot(victim)!, "test");
        var replacement = new MemoryBlockDevice("new", TestArrays.MemberBytes);
        array.Add(replacement);
        array.RebuildWindowBytes = windowBytes;

        Assert.AreEqual(1, array.Rebuild(null, CancellationToken.None));
        Assert.AreEqual(0, array.DegradedCount);
        Assert.AreEqual(0, array.Scrub(repair: false, CancellationToken.None).MismatchSectors);
        array.Close();

        AssertRebuiltMemberServesReads(devices, replacement, victim, shadow);
    }

    [TestMethod]
    [DataRow(RaidLevel.Raid1, 2, 0, 1)]
    [DataRow(RaidLevel.Raid5, 4, (int)ParityAlgorithm.LeftSymmetric, 2)]
    [DataRow(RaidLevel.Raid6, 5, (int)ParityAlgorithm.LeftSymmetric, 4)]
    [DataRow(RaidLevel.Raid10, 4, 0x102, 0)]
    public async Task A_foreground_write_to_the_window_in_flight_lands_after_the_rebuild_copy(RaidLevel level, int disks, int layout, int victim)
    {
        MemoryBlockDevice[] devices = TestArrays.Devices(disks);
        using RaidArray array = TestArrays.Create(devices, level, layout);
        byte[] shadow = new byte[array.LengthBytes];
        TestArrays.RandomWrites(array, shadow, new Random(5), 20);
        array.Fail(array.MemberInSlot(victim)!, "test");
        var memory = new MemoryBlockDevice("new", TestArrays.MemberBytes);
        var replacement = new GatedBlockDevice(memory);
        array.Add(replacement);
        array.RebuildWindowBytes = 64 * 1024;

        // 1 KiB/s: after its first window the pass waits in the throttle, outside the lock, while the
        // first window's write is held at the replacement.
        array.Throttle.SetLimits(1, 1);
        replacement.HoldNextWrite();

        // Own threads, so a thread pool that is slow to grow cannot make the foreground write late.
        Task<int> rebuild = Task.Factory.StartNew(() => array.Rebuild(null, CancellationToken.None), TaskCreationOptions.LongRunning);
        Assert.IsTrue(replacement.Held.Wait(TimeSpan.FromSeconds(30)), "the rebuild's first window reached the replacement");

        byte[] data = new byte[100_000];
        new Random(6).NextBytes(data);
        Task foreground = Task.Factory.StartNew(() => array.Write(0, data), TaskCreationOptions.LongRunning);
        bool finishedEarly = foreground.Wait(TimeSpan.FromMilliseconds(300));
        replacement.Release();
        await foreground;
        Assert.IsFalse(finishedEarly, "the foreground write waited for the rebuild's write of the same bytes");
        data.CopyTo(shadow, 0);

        array.Throttle.SetLimits(SyncThrottle.DefaultMinKibPerSecond, long.MaxValue / 2048);
        Assert.AreEqual(1, await rebuild);
        AssertBytes.Equal(shadow, TestArrays.ReadAll(array));
        Assert.AreEqual(0, array.Scrub(repair: false, CancellationToken.None).MismatchSectors);
        array.Close();

        AssertRebuiltMemberServesReads(devices, memory, victim, shadow);
    }

    [TestMethod]
    [DataRow(RaidLevel.Raid5, 4, (int)ParityAlgorithm.LeftSymmetric)]
    [DataRow(RaidLevel.Raid1, 2, 0)]
    public async Task A_foreground_write_waiting_on_a_rebuild_write_that_fails_goes_on_degraded(RaidLevel level, int disks, int layout)
    {
        MemoryBlockDevice[] devices = TestArrays.Devices(disks);
        using RaidArray array = TestArrays.Create(devices, level, layout);
        byte[] shadow = new byte[array.LengthBytes];
        TestArrays.RandomWrites(array, shadow, new Random(15), 20);
        array.Fail(array.MemberInSlot(1)!, "test");
        var faulty = new FaultyBlockDevice(new MemoryBlockDevice("new", TestArrays.MemberBytes));
        var replacement = new GatedBlockDevice(faulty);
        RaidMember added = array.Add(replacement);
        array.RebuildWindowBytes = 64 * 1024;
        array.Throttle.SetLimits(1, 1);
        replacement.HoldNextWrite();
        Task<int> rebuild = Task.Factory.StartNew(() => array.Rebuild(null, CancellationToken.None), TaskCreationOptions.LongRunning);
        Assert.IsTrue(replacement.Held.Wait(TimeSpan.FromSeconds(30)));

        // The replacement dies while the rebuild's write is held; the foreground write that waits on it
        // must then go on without the replacement.
        faulty.Vanish();
        byte[] data = new byte[100_000];
        new Random(16).NextBytes(data);
        Task foreground = Task.Factory.StartNew(() => array.Write(0, data), TaskCreationOptions.LongRunning);
        Assert.IsFalse(foreground.Wait(TimeSpan.FromMilliseconds(300)), "the foreground write waits for the rebuild's write");
        replacement.Release();
        await foreground;
        data.CopyTo(shadow, 0);
        array.Throttle.SetLimits(SyncThrottle.DefaultMinKibPerSecond, long.MaxValue / 2048);

        Assert.AreEqual(0, await rebuild);
        Assert.AreEqual(MemberState.Faulty, added.State);
        StringAssert.Contains(added.FailReason, "write error");
        AssertBytes.Equal(shadow, TestArrays.ReadAll(array));
    }

    [TestMethod]
    public async Task Foreground_writes_during_a_windowed_rebuild_are_all_kept()
    {
        // Bounded: 300 writes from one thread while the rebuild runs on another.
        MemoryBlockDevice[] devices = TestArrays.Devices(5);
        using RaidArray array = TestArrays.Create(devices, RaidLevel.Raid6, (int)ParityAlgorithm.LeftSymmetric);
        byte[] shadow = new byte[array.LengthBytes];
        var random = new Random(12);
        TestArrays.RandomWrites(array, shadow, random, 20);
        array.Fail(array.MemberInSlot(3)!, "test");
        var replacement = new MemoryBlockDevice("new", TestArrays.MemberBytes);
        array.Add(replacement);
        array.RebuildWindowBytes = 48 * 1024;
        array.Throttle.SetLimits(long.MaxValue / 2048, long.MaxValue / 2048);
        Task<int> rebuild = Task.Run(() => array.Rebuild(null, CancellationToken.None));
        TestArrays.RandomWrites(array, shadow, random, 300, maxLength: 20_000);
        Assert.AreEqual(1, await rebuild);
        AssertBytes.Equal(shadow, TestArrays.ReadAll(array));
        Assert.AreEqual(0, array.Scrub(repair: false, CancellationToken.None).MismatchSectors);
        array.Close();

        AssertRebuiltMemberServesReads(devices, replacement, 3, shadow);
    }

    [TestMethod]
    [DataRow(RaidLevel.Raid1, 2, 0)]
    [DataRow(RaidLevel.Raid5, 4, (int)ParityAlgorithm.LeftSymmetric)]
    [DataRow(RaidLevel.Raid6, 5, (int)ParityAlgorithm.RightAsymmetric)]
    public void An_interrupted_windowed_rebuild_resumes_from_its_checkpoint_with_another_window(RaidLevel level, int disks, int layout)
    {
        MemoryBlockDevice[] devices = TestArrays.Devices(disks);
        var replacement = new MemoryBlockDevice("new", TestArrays.MemberBytes);
        byte[] shadow;
        long total;
        using (RaidArray array = TestArrays.Create(devices, level, layout))
        {
            shadow = new byte[array.LengthBytes];
            TestArrays.RandomWrites(array, shadow, new Random(disks), 20);
            array.Fail(array.MemberInSlot(1)!, "test");
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
        }

        MdSuperblock? sb = ArrayAssembler.ReadSuperblock(replacement, out string problem);
        Assert.IsNotNull(sb, problem);
        Assert.IsTrue(sb.RecoveryOffset >= (ulong)(total / 2) && sb.RecoveryOffset < (ulong)total, $"recovery_offset {sb.RecoveryOffset} of {total}");

        // Whatever the checkpoint claims is really on the replacement.
        long claimed = (long)sb.RecoveryOffset * 512;
        long dataOffset = (long)sb.DataOffset * 512;
        byte[] expected = ExpectedMemberBytes(level, disks, layout, 1, shadow, dataOffset, claimed);
        AssertBytes.Equal(expected, replacement.Media.AsSpan((int)dataOffset, (int)claimed), "recovered part at the checkpoint");

        using RaidArray resumed = TestArrays.Assemble([.. devices.Select((d, i) => i == 1 ? replacement : (IBlockDevice)d)]);
        Assert.AreEqual((long)sb.RecoveryOffset, resumed.MemberInSlot(1)!.RecoveredSectors);
        resumed.RebuildWindowBytes = RaidArray.DefaultRebuildWindowBytes;
        Assert.AreEqual(1, resumed.Rebuild(null, CancellationToken.None));
        AssertBytes.Equal(shadow, TestArrays.ReadAll(resumed));
        Assert.AreEqual(0, resumed.Scrub(repair: false, CancellationToken.None).MismatchSectors);
    }

    [TestMethod]
    [DataRow(RaidLevel.Raid6, 5, 1, 3)]
    [DataRow(RaidLevel.Raid1, 3, 0, 1)]
    [DataRow(RaidLevel.Raid10, 4, 0, 1)]
    public void A_source_that_fails_mid_window_is_failed_and_the_rebuild_goes_on_from_the_rest(RaidLevel level, int disks, int victim, int failing)
    {
        FaultyBlockDevice[] devices = [.. TestArrays.Devices(disks).Select(d => new FaultyBlockDevice(d))];

        // RAID10 with three near copies on four disks, so one more loss during the rebuild leaves a copy.
        int layout = level == RaidLevel.Raid10 ? 0x103 : LayoutNames.Default(level);

        using RaidArray array = TestArrays.Create(devices, level, layout);
        byte[] shadow = new byte[array.LengthBytes];
        TestArrays.RandomWrites(array, shadow, new Random(disks + 30), 20);
        array.Fail(array.MemberInSlot(victim)!, "test");
        var replacement = new MemoryBlockDevice("new", TestArrays.MemberBytes);
        array.Add(replacement);
        array.RebuildWindowBytes = 64 * 1024;
        var progress = new RaidArrayTests.SynchronousProgress(p =>
        {
            if (p.DoneSectors >= p.TotalSectors / 3)
            {
                devices[failing].FailReads = true;
            }
        });

        Assert.AreEqual(1, array.Rebuild(progress, CancellationToken.None, checkpointBytes: 128 * 1024));
        Assert.AreEqual(MemberState.Faulty, array.Members.Single(m => m.Device == devices[failing]).State);
        Assert.IsTrue(array.Log.Any(line => line.Contains("read error", StringComparison.Ordinal)), string.Join("\n", array.Log));
        Assert.AreEqual(MemberState.InSync, array.MemberInSlot(victim)!.State);
        AssertBytes.Equal(shadow, TestArrays.ReadAll(array));
    }

    [TestMethod]
    public void A_raid5_source_that_fails_mid_rebuild_fails_the_array_and_reads_give_no_wrong_data()
    {
        MemoryBlockDevice[] inner = TestArrays.Devices(4);
        FaultyBlockDevice[] devices = [.. inner.Select(d => new FaultyBlockDevice(d))];
        using RaidArray array = TestArrays.Create(devices, RaidLevel.Raid5, (int)ParityAlgorithm.LeftSymmetric);
        TestArrays.RandomWrites(array, new byte[array.LengthBytes], new Random(40), 10);
        array.Fail(array.MemberInSlot(0)!, "test");
        array.Add(new MemoryBlockDevice("new", TestArrays.MemberBytes));
        array.RebuildWindowBytes = 64 * 1024;
        var progress = new RaidArrayTests.SynchronousProgress(p =>
        {
            if (p.DoneSectors >= p.TotalSectors / 3)
            {
                devices[2].FailReads = true;
            }
        });

        Assert.ThrowsExactly<ArrayFailedException>(() => array.Rebuild(progress, CancellationToken.None, checkpointBytes: 128 * 1024));
        Assert.IsTrue(array.IsFailed);
        Assert.ThrowsExactly<ArrayFailedException>(() => array.Read(0, new byte[4096]));
    }

    [TestMethod]
    [DataRow(RaidLevel.Raid1, 2)]
    [DataRow(RaidLevel.Raid5, 4)]
    [DataRow(RaidLevel.Raid6, 5)]
    [DataRow(RaidLevel.Raid10, 4)]
    public void A_replacement_that_fails_mid_rebuild_is_failed_and_the_array_stays_degraded_and_right(RaidLevel level, int disks)
    {
        MemoryBlockDevice[] devices = TestArrays.Devices(disks);
        using RaidArray array = TestArrays.Create(devices, level, LayoutNames.Default(level));
        byte[] shadow = new byte[array.LengthBytes];
        TestArrays.RandomWrites(array, shadow, new Random(disks + 50), 20);
        array.Fail(array.MemberInSlot(1)!, "test");
        var replacement = new FaultyBlockDevice(new MemoryBlockDevice("new", TestArrays.MemberBytes));
        array.Add(replacement);
        array.RebuildWindowBytes = 64 * 1024;
        replacement.FailAfterWrites(5);

        Assert.AreEqual(0, array.Rebuild(null, CancellationToken.None));
        Assert.AreEqual(MemberState.Faulty, array.Members.Single(m => m.Device == replacement).State);
        Assert.AreEqual(1, array.DegradedCount);
        AssertBytes.Equal(shadow, TestArrays.ReadAll(array));
    }

    [TestMethod]
    public async Task A_second_rebuild_while_one_runs_is_refused()
    {
        MemoryBlockDevice[] devices = TestArrays.Devices(3);
        using RaidArray array = TestArrays.Create(devices, RaidLevel.Raid5, (int)ParityAlgorithm.LeftSymmetric);
        array.Fail(array.MemberInSlot(0)!, "test");
        array.Add(new MemoryBlockDevice("new", TestArrays.MemberBytes));
        array.Throttle.Pause();
        Task<int> first = Task.Factory.StartNew(() => array.Rebuild(null, CancellationToken.None), TaskCreationOptions.LongRunning);
        for (int i = 0; i < 500 && !array.Throttle.Holding; i++)
        {
            await Task.Delay(10);
        }

        Assert.IsTrue(array.Throttle.Holding);
        InvalidOperationException e = Assert.ThrowsExactly<InvalidOperationException>(() => array.Rebuild(null, CancellationToken.None));
        StringAssert.Contains(e.Message, "already running");
        array.Throttle.Resume();
        Assert.AreEqual(1, await first);
        Assert.AreEqual(0, array.Rebuild(null, CancellationToken.None), "nothing left to rebuild, and no longer refused");
    }

    [TestMethod]
    public void The_window_size_is_checked()
    {
        MemoryBlockDevice[] devices = TestArrays.Devices(3);
        using RaidArray array = TestArrays.Create(devices, RaidLevel.Raid5, (int)ParityAlgorithm.LeftSymmetric);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => array.RebuildWindowBytes = 100);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => array.RebuildWindowBytes = 128 << 20);
        Assert.AreEqual(RaidArray.DefaultRebuildWindowBytes, array.RebuildWindowBytes);
    }

    [TestMethod]
    public void A_rebuild_reports_where_its_time_went()
    {
        MemoryBlockDevice[] devices = TestArrays.Devices(4);
        using RaidArray array = TestArrays.Create(devices, RaidLevel.Raid5, (int)ParityAlgorithm.LeftSymmetric);
        Assert.IsNull(array.LastRebuildTimings);
        array.Fail(array.MemberInSlot(2)!, "test");
        array.Add(new MemoryBlockDevice("new", TestArrays.MemberBytes));
        array.Throttle.SetLimits(long.MaxValue / 2048, long.MaxValue / 2048);
        array.Rebuild(null, CancellationToken.None);
        RebuildTimings? t = array.LastRebuildTimings;
        Assert.IsNotNull(t);
        Assert.IsTrue(t.Reading > TimeSpan.Zero && t.Reading <= t.Elapsed, $"{t}");
        Assert.IsTrue(t.Reading + t.Computing + t.WaitingForWrite <= t.Elapsed, $"{t}");
    }

    // The replacement with another member left out: every byte the array returns must be right.
    private static void AssertRebuiltMemberServesReads(IBlockDevice[] devices, IBlockDevice replacement, int victim, byte[] shadow)
    {
        IBlockDevice?[] members = [.. devices.Select((d, i) => i == victim ? replacement : d)];
        members[(victim + 1) % devices.Length] = null;
        using RaidArray check = TestArrays.Assemble(members);
        AssertBytes.Equal(shadow, TestArrays.ReadAll(check));
    }

    // What member `slot` must hold over its first `bytes`: a fresh array of the same shape written with
    // the same data has it (parity and mirrors are functions of the data).
    internal static byte[] ExpectedMemberBytes(RaidLevel level, int disks, int layout, int slot, byte[] shadow, long dataOffset, long bytes)
    {
        MemoryBlockDevice[] twins = TestArrays.Devices(disks, "twin");
        using (RaidArray twin = TestArrays.Create(twins, level, layout))
        {
            twin.Write(0, shadow);
            twin.Close();
        }

        return twins[slot].Media.AsSpan((int)dataOffset, (int)bytes).ToArray();
    }
}
