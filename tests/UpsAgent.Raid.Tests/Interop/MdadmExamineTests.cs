using System.Diagnostics;
using UpsAgent.Raid.Commands;
using UpsAgent.Raid.Engine;
using UpsAgent.Raid.Geometry;
using UpsAgent.Raid.Metadata;
using UpsAgent.Raid.Storage;
using UpsAgent.Raid.Tests.Engine;

namespace UpsAgent.Raid.Tests.Interop;

// mdadm 4.2 (Debian package "mdadm") as an independent validator of our superblocks. mdadm reads
// regular files directly, so no loop device or kernel md is needed. mdadm --examine exits 0 even on a
// bad checksum, so the test looks for " - correct" (spec raid.md §4).
[TestClass]
[TestCategory("Interop")]
public sealed class MdadmExamineTests
{
    private const string Mdadm = "/usr/sbin/mdadm";

    public static IEnumerable<object[]> Arrays =>
    [
        ["0", null!, 3, "raid0", null!],
        ["1", null!, 2, "raid1", null!],
        ["4", null!, 3, "raid4", null!],
        ["5", "left-symmetric", 3, "raid5", "left-symmetric"],
        ["5", "left-asymmetric", 4, "raid5", "left-asymmetric"],
        ["5", "right-symmetric", 4, "raid5", "right-symmetric"],
        ["5", "right-asymmetric", 4, "raid5", "right-asymmetric"],
        ["5", "parity-first", 3, "raid5", "parity-first"],
        ["6", "left-symmetric", 5, "raid6", "left-symmetric"],
        ["6", "left-asymmetric", 5, "raid6", "left-asymmetric"],
        ["6", "left-symmetric-6", 5, "raid6", "left-symmetric-6"],
        ["10", "n2", 4, "raid10", "near=2"],
        ["10", "f2", 4, "raid10", "far=2"],
        ["10", "o2", 4, "raid10", "offset=2"],
    ];

    [TestMethod]
    [DynamicData(nameof(Arrays))]
    public void Mdadm_examine_accepts_every_member_and_reports_our_fields(string level, string? layout, int disks, string mdLevel, string? mdLayout)
    {
        if (!File.Exists(Mdadm))
        {
            Assert.Inconclusive("mdadm is not installed (Debian package mdadm)");
        }

        using var dir = new TempDirectory();
        string[] paths = [.. Enumerable.Range(0, disks).Select(i => Path.Combine(dir.Path, $"d{i}.img"))];
        var output = new StringWriter();
        var error = new StringWriter();
        int code = RaidCommands.Run(
            "create",
            new RaidCommandArgs { Members = paths, Level = int.Parse(level, System.Globalization.CultureInfo.InvariantCulture), Layout = layout, ChunkKib = 64, Size = "16M" },
            output, error, Stream.Null, Stream.Null, CancellationToken.None);
        Assert.AreEqual(0, code, error.ToString());

        for (int i = 0; i < disks; i++)
        {
            MdSuperblock sb;
            using (ImageFileDevice device = ImageFileDevice.Open(paths[i], writable: false))
            {
                sb = ArrayAssembler.ReadSuperblock(device, out string problem) ?? throw new AssertFailedException(problem);
            }

            string text = Run(Mdadm, "--examine", paths[i]);
            StringAssert.Contains(text, $"Array UUID : {sb.SetUuid}");
            StringAssert.Contains(text, $"Device UUID : {sb.DeviceUuid}");
            StringAssert.Contains(text, $"Raid Level : {mdLevel}");
            StringAssert.Contains(text, $"Raid Devices : {disks}");
            StringAssert.Contains(text, $"Checksum : {sb.Checksum:x} - correct");
            StringAssert.Contains(text, $"Device Role : Active device {i}");
            StringAssert.Contains(text, $"Array State : {new string('A', disks)} ");
            StringAssert.Contains(text, "State : clean");
            StringAssert.Contains(text, $"Data Offset : {sb.DataOffset} sectors");
            if (mdLayout is not null)
            {
                StringAssert.Contains(text, $"Layout : {mdLayout}");
            }

            if (mdLevel != "raid1")
            {
                StringAssert.Contains(text, "Chunk Size : 64K");
            }
        }
    }

    [TestMethod]
    public void Mdadm_sees_a_failed_member_and_a_recovering_replacement()
    {
        if (!File.Exists(Mdadm))
        {
            Assert.Inconclusive("mdadm is not installed (Debian package mdadm)");
        }

        using var dir = new TempDirectory();
        string[] paths = [.. Enumerable.Range(0, 3).Select(i => Path.Combine(dir.Path, $"d{i}.img"))];
        string newPath = Path.Combine(dir.Path, "new.img");
        var sink = new StringWriter();
        Assert.AreEqual(0, RaidCommands.Run("create", new RaidCommandArgs { Members = paths, Level = 5, ChunkKib = 64, Size = "16M" }, sink, sink, Stream.Null, Stream.Null, default), sink.ToString());
        Assert.AreEqual(0, RaidCommands.Run("fail", new RaidCommandArgs { Members = paths, Device = paths[1] }, sink, sink, Stream.Null, Stream.Null, default), sink.ToString());
        string text = Run(Mdadm, "--examine", paths[0]);
        StringAssert.Contains(text, "Array State : A.A ");
        StringAssert.Contains(text, " - correct");
        Assert.AreEqual(0, RaidCommands.Run("add", new RaidCommandArgs { Members = [paths[0], "missing", paths[2]], Device = newPath, Size = "16M" }, sink, sink, Stream.Null, Stream.Null, default), sink.ToString());
        text = Run(Mdadm, "--examine", newPath);
        StringAssert.Contains(text, "Recovery Offset : 0 sectors");
        StringAssert.Contains(text, "Device Role : Active device 1");
        StringAssert.Contains(text, " - correct");
    }

    [TestMethod]
    [DataRow(0x102, "near=2")]
    [DataRow(0x201, "far=2")]
    [DataRow(0x10201, "offset=2")]
    public void Mdadm_examine_shows_the_recovery_offset_of_a_raid10_member_interrupted_mid_rebuild(int layout, string mdLayout)
    {
        if (!File.Exists(Mdadm))
        {
            Assert.Inconclusive("mdadm is not installed (Debian package mdadm)");
        }

        using var dir = new TempDirectory();
        const long bytes = 16L << 20;
        IBlockDevice[] devices = [.. Enumerable.Range(0, 4).Select(i => (IBlockDevice)ImageFileDevice.Create(Path.Combine(dir.Path, $"d{i}.img"), bytes))];
        string newPath = Path.Combine(dir.Path, "new.img");
        ulong recoveryOffset;
        using (RaidArray array = ArrayCreator.Create(devices, new ArrayCreateOptions(RaidLevel.Raid10) { ChunkKib = 64, Layout = layout, AssumeClean = true }, TimeProvider.System, CancellationToken.None))
        {
            byte[] data = new byte[array.LengthBytes];
            new Random(layout).NextBytes(data);
            array.Write(0, data);
            array.Fail(array.MemberInSlot(2)!, "test");
            RaidMember added = array.Add(ImageFileDevice.Create(newPath, bytes));
            array.RebuildWindowBytes = 256 * 1024;
            using var cancel = new CancellationTokenSource();
            var progress = new RaidArrayTests.SynchronousProgress(p =>
            {
                if (p.DoneSectors >= p.TotalSectors / 3)
                {
                    cancel.Cancel();
                }
            });
            Assert.ThrowsExactly<OperationCanceledException>(() => array.Rebuild(progress, cancel.Token, checkpointBytes: 1 << 20));
            recoveryOffset = added.Superblock.RecoveryOffset;
        }

        Assert.IsTrue(recoveryOffset > 0, "the interrupted rebuild left a checkpoint");
        string text = Run(Mdadm, "--examine", newPath);
        StringAssert.Contains(text, $"Recovery Offset : {recoveryOffset} sectors");
        StringAssert.Contains(text, "Device Role : Active device 2");
        StringAssert.Contains(text, $"Layout : {mdLayout}");
        StringAssert.Contains(text, " - correct");
    }

    [TestMethod]
    [DataRow("1", 2, null, "64 MB", 1L)]
    [DataRow("5", 3, 64L, "64 KB", 0L)]
    [DataRow("6", 4, 256L, "256 KB", 0L)]
    [DataRow("10", 4, 64L, "64 KB", 0L)]
    public void Mdadm_examine_bitmap_reads_our_internal_bitmap(string level, int disks, long? chunkKib, string mdChunk, long expectedBits)
    {
        if (!File.Exists(Mdadm))
        {
            Assert.Inconclusive("mdadm is not installed (Debian package mdadm)");
        }

        using var dir = new TempDirectory();
        string[] paths = [.. Enumerable.Range(0, disks).Select(i => Path.Combine(dir.Path, $"d{i}.img"))];
        var sink = new StringWriter();
        Assert.AreEqual(0, RaidCommands.Run(
            "create",
            new RaidCommandArgs { Members = paths, Level = int.Parse(level, System.Globalization.CultureInfo.InvariantCulture), ChunkKib = 64, Size = "16M", Bitmap = true, BitmapChunkKib = chunkKib },
            sink, sink, Stream.Null, Stream.Null, default), sink.ToString());

        // Write without closing: the process "dies" with bits set, as after a crash.
        long dirty;
        long bits;
        MdSuperblock sb;
        {
            AssembleResult result = ArrayAssembler.Assemble([.. paths.Select(p => (IBlockDevice)ImageFileDevice.Open(p, writable: true))], TimeProvider.System);
            RaidArray array = result.Array ?? throw new AssertFailedException(string.Join("; ", result.Errors));
            array.Write(0, new byte[4096]);
            array.Write(array.LengthBytes - 5000, new byte[5000]);
            array.Flush();
            dirty = array.Bitmap!.DirtyCount;
            bits = array.Bitmap.Bits;
            sb = array.Members[0].Superblock;
            foreach (RaidMember m in array.Members)
            {
                m.Device.Dispose();
            }
        }

        if (expectedBits > 0)
        {
            Assert.AreEqual(expectedBits, bits);
        }

        Assert.IsGreaterThanOrEqualTo(1L, dirty);
        long syncKib = (level == "10" ? (long)sb.Size * disks / 2 : (long)sb.Size) / 2;
        foreach (string path in paths)
        {
            string text = ExamineBitmap(path);
            StringAssert.Contains(text, "Magic : 6d746962");
            StringAssert.Contains(text, "Version : 4");
            StringAssert.Contains(text, $"UUID : {sb.SetUuid}");
            StringAssert.Contains(text, $"Events : {sb.Events}");
            StringAssert.Contains(text, "State : OK");
            StringAssert.Contains(text, $"Chunksize : {mdChunk}");
            StringAssert.Contains(text, "Daemon : 5s flush period");
            StringAssert.Contains(text, $"Sync Size : {syncKib}");
            StringAssert.Contains(text, $"Bitmap : {bits} bits (chunks), {dirty} dirty");

            string examine = Run(Mdadm, "--examine", path);
            StringAssert.Contains(examine, "Internal Bitmap : 8 sectors from superblock");
            StringAssert.Contains(examine, "State : active");
            StringAssert.Contains(examine, " - correct");
        }

        // A clean stop clears the bits, and mdadm sees that too.
        Assert.AreEqual(0, RaidCommands.Run("detail", new RaidCommandArgs { Members = paths }, sink, sink, Stream.Null, Stream.Null, default), sink.ToString());
        Assert.AreEqual(0, RaidCommands.Run("check", new RaidCommandArgs { Members = paths }, sink, sink, Stream.Null, Stream.Null, default), sink.ToString());
        StringAssert.Contains(sink.ToString(), "mismatch_cnt=0");
        string after = ExamineBitmap(paths[0]);
        StringAssert.Contains(after, $"Bitmap : {bits} bits (chunks), 0 dirty");
        StringAssert.Contains(Run(Mdadm, "--examine", paths[0]), "State : clean");
    }

    // mdadm -X reads an internal bitmap only through a block device; a plain file is taken for an
    // external bitmap file.
    private static string ExamineBitmap(string image)
    {
        using LoopDevice loop = LoopDevice.TryAttach(image) ?? throw new AssertInconclusiveException("no loop device (losetup needs root)");
        return Run(Mdadm, "--examine-bitmap", loop.Path);
    }

    internal static string Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }

        using Process p = Process.Start(start)!;
        string stdout = p.StandardOutput.ReadToEnd();
        string stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.AreEqual(0, p.ExitCode, $"{file} {string.Join(' ', args)}: {stderr}");
        return stdout;
    }
}
