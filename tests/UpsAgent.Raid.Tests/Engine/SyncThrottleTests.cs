using UpsAgent.Raid.Engine;
using UpsAgent.Raid.Geometry;
using UpsAgent.TestKit.Storage;

namespace UpsAgent.Raid.Tests.Engine;

// md's sync_speed_min/max as a pure rule, and pause/resume on a real pass.
[TestClass]
public sealed class SyncThrottleTests
{
    [TestMethod]
    public void An_idle_array_syncs_up_to_the_maximum_speed()
    {
        // 10 MiB in 0.05 s is 200 MiB/s; the limit is 100 MiB/s, so wait until 0.1 s has passed.
        TimeSpan wait = SyncThrottle.DelayFor(10L << 20, TimeSpan.FromMilliseconds(50), foregroundActive: false, 1000, 100 * 1024);
        Assert.AreEqual(TimeSpan.FromMilliseconds(50), wait);
        Assert.AreEqual(TimeSpan.Zero, SyncThrottle.DelayFor(10L << 20, TimeSpan.FromMilliseconds(150), false, 1000, 100 * 1024), "slower than the limit");
    }

    [TestMethod]
    public void Foreground_io_brings_the_pass_down_to_the_minimum_speed()
    {
        // 1 MiB after 0.5 s is 2 MiB/s; under load the floor is 1000 KiB/s, so ~0.524 s more, capped per wait.
        TimeSpan busy = SyncThrottle.DelayFor(1L << 20, TimeSpan.FromMilliseconds(500), foregroundActive: true, 1000, 200_000);
        Assert.AreEqual(SyncThrottle.LongestWait, busy);
        Assert.AreEqual(TimeSpan.Zero, SyncThrottle.DelayFor(1L << 20, TimeSpan.FromMilliseconds(500), foregroundActive: false, 1000, 200_000));
        Assert.AreEqual(TimeSpan.Zero, SyncThrottle.DelayFor(512 * 1024, TimeSpan.FromSeconds(1), foregroundActive: true, 1000, 200_000), "already below the minimum: never slowed further");
    }

    [TestMethod]
    public void Limits_must_be_positive_and_ordered()
    {
        var throttle = new SyncThrottle(TimeProvider.System);
        Assert.ThrowsExactly<ArgumentException>(() => throttle.SetLimits(0, 10));
        Assert.ThrowsExactly<ArgumentException>(() => throttle.SetLimits(100, 10));
        throttle.SetLimits(10, 10);
        Assert.AreEqual(10L, throttle.MaxKibPerSecond);
    }

    [TestMethod]
    public async Task A_paused_rebuild_holds_between_stripes_while_reads_and_writes_go_on_and_resumes()
    {
        MemoryBlockDevice[] devices = TestArrays.Devices(3);
        using RaidArray array = TestArrays.Create(devices, RaidLevel.Raid5, (int)ParityAlgorithm.LeftSymmetric);
        byte[] shadow = new byte[array.LengthBytes];
        TestArrays.RandomWrites(array, shadow, new Random(3), 10);
        array.Fail(array.MemberInSlot(1)!, "test");
        array.Add(new MemoryBlockDevice("new", TestArrays.MemberBytes));
        array.Throttle.Pause();
        Task<int> rebuild = Task.Run(() => array.Rebuild(null, CancellationToken.None));
        for (int i = 0; i < 500 && !array.Throttle.Holding; i++)
        {
            await Task.Delay(10);
        }

        Assert.IsTrue(array.Throttle.Holding);
        Assert.AreEqual("recovery", array.Activity?.Action);
        Assert.IsTrue(array.Activity!.Paused);
        long held = array.MemberInSlot(1)!.RecoveredSectors;

        // The lock is free while the pass waits: foreground I/O is served, degraded.
        TestArrays.RandomWrites(array, shadow, new Random(4), 10);
        AssertBytes.Equal(shadow, TestArrays.ReadAll(array));
        Assert.AreEqual(held, array.MemberInSlot(1)!.RecoveredSectors, "no progress while paused");
        Assert.IsFalse(rebuild.IsCompleted);

        array.Throttle.Resume();
        Assert.AreEqual(1, await rebuild);
        Assert.IsNull(array.Activity);
        Assert.AreEqual(0, array.DegradedCount);
        Assert.AreEqual(0L, array.Scrub(repair: false, CancellationToken.None).MismatchSectors);
        AssertBytes.Equal(shadow, TestArrays.ReadAll(array));
    }

    [TestMethod]
    public async Task A_cancelled_check_stops_and_a_new_one_runs_to_the_end()
    {
        MemoryBlockDevice[] devices = TestArrays.Devices(4);
        using RaidArray array = TestArrays.Create(devices, RaidLevel.Raid6, (int)ParityAlgorithm.LeftSymmetric);
        array.Throttle.Pause();
        using var cancel = new CancellationTokenSource();
        Task<ScrubResult> check = Task.Run(() => array.Scrub(repair: false, cancel.Token));
        for (int i = 0; i < 500 && !array.Throttle.Holding; i++)
        {
            await Task.Delay(10);
        }

        await cancel.CancelAsync();
        await Assert.ThrowsAsync<OperationCanceledException>(() => check);
        array.Throttle.Resume();
        Assert.AreEqual(0L, array.Scrub(repair: false, CancellationToken.None).MismatchSectors);
    }
}
