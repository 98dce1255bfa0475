using UpsAgent.Raid.Bitmap;
using UpsAgent.Raid.Engine;
using UpsAgent.Raid.Geometry;
using UpsAgent.Raid.Metadata;
using UpsAgent.Raid.Storage;
using UpsAgent.TestKit.Storage;

namespace UpsAgent.Raid.Tests.Engine;

// The write-intent bitmap in the engine: bits reach every member before the data, are cleared lazily,
// and after an unclean stop only dirty chunks are resynced; without a bitmap, everything is.
[TestClass]
public sealed class BitmapEngineTests
{
    private const long BitmapChunk = 64 * 1024;

    public static IEnumerable<object[]> Levels =>
    [
        [RaidLevel.Raid1, 2, 0],
        [RaidLevel.Raid4, 3, 0],
        [RaidLevel.Raid5, 3, (int)ParityAlgorithm.LeftSymmetric],
        [RaidLevel.Raid6, 5, (int)ParityAlgorithm.LeftSymmetric],
        [RaidLevel.Raid10, 4, 0x102],
    ];

    private static RaidArray Create(IReadOnlyList<IBlockDevice?> devices, RaidLevel level, int layout, TimeProvider time, bool bitmap = true) =>
        ArrayCreator.Create(
            devices,
            new ArrayCreateOptions(level) { ChunkKib = 16, Layout = layout, AssumeClean = true, Bitmap = bitmap, BitmapChunkBytes = BitmapChunk },
            time,
            CancellationToken.None);

    private static RaidArray Assemble(IReadOnlyList<IBlockDevice?> devices, TimeProvider time)
    {
        AssembleResult result = ArrayAssembler.Assemble(devices, time);
        Assert.IsNotNull(result.Array, string.Join("; ", result.Errors));
        return result.Array;
    }

    private static WriteIntentBitmap OnDisk(MemoryBlockDevice device)
    {
        MdSuperblock sb = ArrayAssembler.ReadSuperblock(device, out string problem) ?? throw new AssertFailedException(problem);
        Assert.AreNotEqual(MdFeatures.None, sb.FeatureMap & MdFeatures.BitmapOffset, "feature bit 0: bitmap offset");
        Assert.AreEqual(8, sb.BitmapOffset);
        byte[] area = new byte[4096];
        device.Read(MdSuperblock.ByteOffsetV12 + (sb.BitmapOffset * 512), area);
        WriteIntentBitmap bitmap = WriteIntentBitmap.Load(area, sb.SetUuid, 0, out problem) ?? throw new AssertFailedException(problem);
        Assert.AreEqual(sb.Events, bitmap.Header.Events, "bitmap events follow the superblock's");
        return bitmap;
    }

    [TestMethod]
    [DynamicData(nameof(Levels))]
    public void Bits_are_on_every_member_before_the_data_and_cleared_once_flushed_and_idle(RaidLevel level, int disks, int layout)
    {
        var time = new ManualTimeProvider();
        MemoryBlockDevice[] devices = TestArrays.Devices(disks);
        using RaidArray array = Create(devices, level, layout, time);
        long sync = level == RaidLevel.Raid10 ? array.Geometry.ArraySectors : array.Geometry.MemberSectors;
        Assert.AreEqual((sync * 512 + BitmapChunk - 1) / BitmapChunk, array.Bitmap!.Bits);
        foreach (MemoryBlockDevice d in devices)
        {
            Assert.AreEqual(0L, OnDisk(d).DirtyCount);
        }

        // Watch the first data write on each member: by then the bit must be durable there.
        array.Write(100_000, new byte[5000]);
        foreach (MemoryBlockDevice d in devices)
        {
            WriteIntentBitmap bits = OnDisk(d);
            Assert.IsGreaterThanOrEqualTo(1L, bits.DirtyCount, d.Name);
            Assert.IsLessThanOrEqualTo(2L, bits.DirtyCount, d.Name);
        }

        Assert.IsTrue(array.IsDirty);
        array.Flush();
        Assert.IsGreaterThanOrEqualTo(1L, OnDisk(devices[0]).DirtyCount, "flushed but not idle yet");
        time.Advance(TimeSpan.FromSeconds(6));
        array.Flush();
        foreach (MemoryBlockDevice d in devices)
        {
            WriteIntentBitmap bits = OnDisk(d);
            Assert.AreEqual(0L, bits.DirtyCount, d.Name);
            Assert.AreEqual(bits.Header.Events, bits.Header.EventsCleared, "events_cleared moves with a clearing");
        }
    }

    [TestMethod]
    public void The_bitmap_write_is_flushed_before_the_first_data_write()
    {
        var time = new ManualTimeProvider();
        var log = new List<string>();
        RecordingDevice[] devices = [.. TestArrays.Devices(3).Select(d => new RecordingDevice(d, log))];
        using RaidArray array = Create(devices, RaidLevel.Raid5, (int)ParityAlgorithm.LeftSymmetric, time);
        array.Write(0, new byte[512]);
        array.Flush();
        time.Advance(TimeSpan.FromSeconds(10));
        array.Flush();
        log.Clear();
        array.Write(3 << 20, new byte[512]);
        int firstData = log.FindIndex(e => e.StartsWith("write data", StringComparison.Ordinal));
        Assert.IsGreaterThan(0, firstData, string.Join("\n", log));
        foreach (RecordingDevice d in devices)
        {
            int bitmapWrite = log.IndexOf($"write bitmap {d.Name}");
            int flush = log.FindIndex(bitmapWrite + 1, e => e == $"flush {d.Name}");
            Assert.IsTrue(bitmapWrite >= 0 && flush > bitmapWrite && flush < firstData, string.Join("\n", log));
        }
    }

    [TestMethod]
    [DynamicData(nameof(Levels))]
    public void After_an_unclean_stop_only_dirty_chunks_are_resynced_and_parity_agrees(RaidLevel level, int disks, int layout)
    {
        var time = new ManualTimeProvider();
        MemoryBlockDevice[] devices = TestArrays.Devices(disks);
        byte[] shadow;
        RaidArray array = Create(devices, level, layout, time);
        shadow = new byte[array.LengthBytes];
        TestArrays.RandomWrites(array, shadow, new Random(5), 10);
        array.Flush();
        time.Advance(TimeSpan.FromSeconds(10));
        array.Flush();
        long target = array.LengthBytes / 2;
        byte[] data = new byte[3000];
        new Random(6).NextBytes(data);
        array.Write(target, data);
        data.CopyTo(shadow, target);
        array.Flush();

        // A torn write: member 1 got a different version of the stripe than the others. The process
        // then dies without closing the array.
        long memberTarget = level == RaidLevel.Raid1 ? target : array.Geometry.Level == RaidLevel.Raid10 ? target / 2 : target / array.Geometry.DataDisks;
        MdSuperblock sb = ArrayAssembler.ReadSuperblock(devices[1], out _)!;
        long tornAt = ((long)sb.DataOffset * 512) + (memberTarget / 4096 * 4096);
        devices[1].Write(tornAt, new byte[4096].Select((_, i) => (byte)(i * 7)).ToArray());

        using RaidArray again = Assemble(devices, time);
        Assert.IsTrue(again.NeedsResync);
        Assert.IsNotNull(again.Bitmap);
        long dirty = again.Bitmap.DirtyCount;
        Assert.IsTrue(dirty is >= 1 and <= 2, $"dirty {dirty}");
        long resynced = again.Resync(CancellationToken.None);
        Assert.AreEqual(dirty * (BitmapChunk / 512), resynced, "only the dirty chunks");
        Assert.IsLessThan(RaidArray.SyncDomainSectors(again.Geometry), resynced);
        Assert.IsFalse(again.NeedsResync);
        Assert.IsFalse(again.IsDirty, "marked clean after the resync");
        Assert.AreEqual(0L, again.Bitmap.DirtyCount);
        Assert.AreEqual(0L, again.Scrub(repair: false, CancellationToken.None).MismatchSectors);
    }

    [TestMethod]
    public void Without_a_bitmap_an_unclean_stop_resyncs_the_whole_array()
    {
        var time = new ManualTimeProvider();
        MemoryBlockDevice[] devices = TestArrays.Devices(3);
        RaidArray array = Create(devices, RaidLevel.Raid5, (int)ParityAlgorithm.LeftSymmetric, time, bitmap: false);
        array.Write(1000, new byte[100]);
        array.Flush();
        MdSuperblock sb = ArrayAssembler.ReadSuperblock(devices[0], out _)!;
        Assert.IsFalse(sb.IsClean, "resync_offset 0 while writes may be in flight");

        using RaidArray again = Assemble(devices, time);
        Assert.IsTrue(again.NeedsResync);
        Assert.IsNull(again.Bitmap);
        Assert.AreEqual(again.Geometry.MemberSectors, again.Resync(CancellationToken.None));
        again.Close();
        Assert.IsTrue(ArrayAssembler.ReadSuperblock(devices[0], out _)!.IsClean);
    }

    [TestMethod]
    public void Quiesce_marks_clean_and_clears_the_bitmap_at_once_and_the_next_write_dirties_again()
    {
        var time = new ManualTimeProvider();
        MemoryBlockDevice[] devices = TestArrays.Devices(3);
        using RaidArray array = Create(devices, RaidLevel.Raid5, (int)ParityAlgorithm.LeftSymmetric, time);
        array.Write(0, new byte[70_000]);
        Assert.IsFalse(array.QuiesceIfIdle(), "written just now");
        array.Quiesce();
        Assert.IsTrue(ArrayAssembler.ReadSuperblock(devices[2], out _)!.IsClean);
        Assert.AreEqual(0L, OnDisk(devices[2]).DirtyCount);
        array.Write(0, new byte[10]);
        Assert.IsFalse(ArrayAssembler.ReadSuperblock(devices[2], out _)!.IsClean);
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.IsTrue(array.QuiesceIfIdle());
        Assert.IsTrue(ArrayAssembler.ReadSuperblock(devices[2], out _)!.IsClean);
    }

    [TestMethod]
    public void A_degraded_array_keeps_its_bits_for_the_missing_member()
    {
        var time = new ManualTimeProvider();
        MemoryBlockDevice[] devices = TestArrays.Devices(3);
        using RaidArray array = Create(devices, RaidLevel.Raid5, (int)ParityAlgorithm.LeftSymmetric, time);
        array.Fail(array.MemberInSlot(2)!, "test");
        array.Write(0, new byte[100]);
        time.Advance(TimeSpan.FromSeconds(10));
        array.Flush();
        array.Quiesce();
        Assert.AreEqual(1L, OnDisk(devices[0]).DirtyCount, "md clears no bit while degraded");
        Assert.IsTrue(ArrayAssembler.ReadSuperblock(devices[0], out _)!.IsClean);
    }

    [TestMethod]
    public void Raid0_refuses_a_bitmap()
    {
        ArgumentException e = Assert.ThrowsExactly<ArgumentException>(() =>
            Create(TestArrays.Devices(2), RaidLevel.Raid0, 0, TimeProvider.System));
        StringAssert.Contains(e.Message, "RAID0");
    }

    private sealed class RecordingDevice(MemoryBlockDevice inner, List<string> log) : IBlockDevice
    {
        public string Name => inner.Name;

        public long LengthBytes => inner.LengthBytes;

        public void Read(long offset, Span<byte> destination) => inner.Read(offset, destination);

        public void Write(long offset, ReadOnlySpan<byte> source)
        {
            string what = offset == 8192 ? "bitmap" : offset == 4096 ? "superblock" : "data";
            log.Add($"write {what} {Name}");
            inner.Write(offset, source);
        }

        public void Flush()
        {
            log.Add($"flush {Name}");
            inner.Flush();
        }

        public void Dispose() => inner.Dispose();
    }
}
