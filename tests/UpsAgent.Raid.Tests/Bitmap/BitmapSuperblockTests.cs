using UpsAgent.Raid.Bitmap;
using UpsAgent.Raid.Metadata;

namespace UpsAgent.Raid.Tests.Bitmap;

[TestClass]
public sealed class BitmapSuperblockTests
{
    private static readonly MdUuid Uuid = MdUuid.FromBytes(Convert.FromHexString("1de9ea6670d3da1fc735df5ef7697fb9"));

    [TestMethod]
    public void Fields_sit_at_md_bitmap_super_t_offsets_little_endian()
    {
        var sb = new BitmapSuperblock { Uuid = Uuid, Events = 7, EventsCleared = 5, SyncSectors = 30720, ChunkBytes = 64 << 20, SectorsReserved = 8 };
        byte[] b = new byte[256];
        sb.WriteTo(b);
        Assert.AreEqual("6269746d", Convert.ToHexStringLower(b.AsSpan(0, 4)), "magic \"bitm\"");
        Assert.AreEqual("04000000", Convert.ToHexStringLower(b.AsSpan(4, 4)), "version 4");
        Assert.AreEqual("1de9ea6670d3da1fc735df5ef7697fb9", Convert.ToHexStringLower(b.AsSpan(8, 16)), "uuid as the array's set_uuid bytes");
        Assert.AreEqual("0700000000000000", Convert.ToHexStringLower(b.AsSpan(24, 8)), "events");
        Assert.AreEqual("0500000000000000", Convert.ToHexStringLower(b.AsSpan(32, 8)), "events_cleared");
        Assert.AreEqual("0078000000000000", Convert.ToHexStringLower(b.AsSpan(40, 8)), "sync_size 30720");
        Assert.AreEqual("00000004", Convert.ToHexStringLower(b.AsSpan(52, 4)), "chunksize 64 MiB");
        Assert.AreEqual("05000000", Convert.ToHexStringLower(b.AsSpan(56, 4)), "daemon_sleep 5 s");
        BitmapSuperblock back = BitmapSuperblock.TryParse(b, Uuid, out string problem) ?? throw new AssertFailedException(problem);
        Assert.AreEqual(7UL, back.Events);
        Assert.AreEqual(5UL, back.EventsCleared);
        Assert.AreEqual(30720UL, back.SyncSectors);
        Assert.AreEqual(1L, back.Bits, "16 MiB RAID1 member: 1 bit of 64 MiB, as mdadm reports");
    }

    [TestMethod]
    [DataRow(0, "6d746963", "no bitmap superblock")]
    [DataRow(4, "05000000", "unsupported bitmap version 5")]
    [DataRow(52, "00030000", "not a power of two")]
    [DataRow(52, "00010000", "not a power of two")]
    [DataRow(56, "00000000", "daemon sleep is 0")]
    [DataRow(60, "00400000", "write-behind 16384")]
    [DataRow(8, "ff", "belongs to array")]
    public void Md_refuses_what_the_kernel_refuses(int offset, string hex, string expected)
    {
        var sb = new BitmapSuperblock { Uuid = Uuid, SyncSectors = 1000, ChunkBytes = 4096 };
        byte[] b = new byte[256];
        sb.WriteTo(b);
        Convert.FromHexString(hex).CopyTo(b, offset);
        Assert.IsNull(BitmapSuperblock.TryParse(b, Uuid, out string problem));
        StringAssert.Contains(problem, expected);
    }

    [TestMethod]
    public void Chunk_is_64_MiB_unless_the_bits_would_not_fit_then_doubled()
    {
        Assert.AreEqual(64u << 20, BitmapSuperblock.ChooseChunkBytes(30720, 8, null));
        Assert.AreEqual(64u * 1024, BitmapSuperblock.ChooseChunkBytes(8192, 8, 64 * 1024));
        // 8 reserved sectors hold (4096 - 256) * 8 = 30720 bits; 4 TiB in 64 MiB chunks needs 65536.
        long fourTib = 4L << 40 >> 9;
        uint chunk = BitmapSuperblock.ChooseChunkBytes(fourTib, 8, null);
        Assert.AreEqual(256u << 20, chunk);
        Assert.IsLessThanOrEqualTo(30720L, (fourTib * 512) / chunk);
        Assert.ThrowsExactly<ArgumentException>(() => BitmapSuperblock.ChooseChunkBytes(8192, 8, 3000));
    }

    [TestMethod]
    public void Bits_are_little_endian_after_the_256_byte_header()
    {
        WriteIntentBitmap bitmap = WriteIntentBitmap.Create(Uuid, 1024, 64 * 1024, 8, 1);
        Assert.AreEqual(8L, bitmap.Bits);
        Assert.IsTrue(bitmap.MarkForWrite(128 * 3, (128 * 3) + 1, DateTimeOffset.UnixEpoch));
        Assert.IsFalse(bitmap.MarkForWrite(128 * 3, (128 * 4) + 1 - 128, DateTimeOffset.UnixEpoch), "already set: no bitmap write needed");
        byte[] area = new byte[bitmap.AreaBytes];
        bitmap.WriteArea(area);
        Assert.AreEqual(0x08, area[256], "bit 3 is 1 << 3 of the first byte");
        WriteIntentBitmap back = WriteIntentBitmap.Load(area, Uuid, 1024, out string problem) ?? throw new AssertFailedException(problem);
        Assert.AreEqual(1L, back.DirtyCount);
        CollectionAssert.AreEqual(new[] { (384L, 512L) }, back.DirtyRanges().ToArray());
    }

    [TestMethod]
    public void A_bit_is_cleared_only_after_a_flush_and_the_daemon_sleep()
    {
        var t0 = DateTimeOffset.UnixEpoch;
        WriteIntentBitmap bitmap = WriteIntentBitmap.Create(Uuid, 1 << 20, 64 * 1024, 8, 1);
        bitmap.MarkForWrite(0, 10, t0);
        Assert.IsFalse(bitmap.ClearIdle(t0.AddSeconds(60), all: false), "not flushed yet");
        bitmap.DataFlushed();
        Assert.IsFalse(bitmap.ClearIdle(t0.AddSeconds(4), all: false), "flushed but not idle for 5 s");
        Assert.IsTrue(bitmap.ClearIdle(t0.AddSeconds(5), all: false));
        Assert.AreEqual(0L, bitmap.DirtyCount);
    }
}
