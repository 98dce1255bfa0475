using UpsAgent.Raid.Engine;
using UpsAgent.Raid.Geometry;
using UpsAgent.Raid.Storage;
using UpsAgent.Raid.Tests.Interop;

namespace UpsAgent.Raid.Tests.Engine;

// A RAID1 rebuild between image files asked to copy inside the kernel (copy_file_range; off by default)
// does so; when the kernel cannot, or a copy fails, the window goes through memory, and the right member
// is failed.
[TestClass]
public sealed class KernelCopyRebuildTests
{
    [TestMethod]
    [DataRow(2)]
    [DataRow(3)]
    public void A_kernel_copy_rebuild_leaves_the_same_members_and_array_as_one_through_memory(int disks)
    {
        using var dir = new TempDirectory();
        var results = new List<(byte[] Replacement, byte[] Source, string Sha, long KernelBytes)>();
        foreach (bool kernelCopy in new[] { true, false })
        {
            string[] paths = [.. Enumerable.Range(0, disks).Select(i => Path.Combine(dir.Path, $"{kernelCopy}-{i}.img"))];
            IBlockDevice?[] devices = [.. paths.Select(p => (IBlockDevice?)ImageFileDevice.Create(p, TestArrays.MemberBytes))];
            using RaidArray array = TestArrays.Create(devices, RaidLevel.Raid1, 0);
            byte[] shadow = new byte[array.LengthBytes];
            TestArrays.RandomWrites(array, shadow, new Random(disks), 20);
            RaidMember lost = array.MemberInSlot(1)!;
            array.Fail(lost, "test");
            array.Remove(lost);
            string replacementPath = Path.Combine(dir.Path, $"{kernelCopy}-new.img");
            RaidMember added = array.Add(ImageFileDevice.Create(replacementPath, TestArrays.MemberBytes));

            // 80.5 KiB: windows that are not a power of two, and a short last one.
            array.RebuildWindowBytes = (80 * 1024) + 512;
            array.RebuildKernelCopy = kernelCopy;
            Assert.AreEqual(1, array.Rebuild(null, CancellationToken.None));
            Assert.AreEqual(MemberState.InSync, added.State);
            byte[] all = TestArrays.ReadAll(array);
            AssertBytes.Equal(shadow, all);
            long dataOffset = added.DataOffsetBytes;
            long dataBytes = array.Geometry.MemberSectors * 512;
            long kernelBytes = array.LastRebuildTimings!.KernelCopiedBytes;
            array.Close();
            results.Add((MemberData(replacementPath, dataOffset, dataBytes), MemberData(paths[0], dataOffset, dataBytes), RaidArrayTests.Sha256(all), kernelBytes));
        }

        Assert.IsTrue(results[0].KernelBytes > 0, "the first pass copied inside the kernel");
        Assert.AreEqual(0, results[1].KernelBytes, "the second pass went through memory");
        AssertBytes.Equal(results[0].Source, results[0].Replacement, "kernel copy: replacement = source");
        AssertBytes.Equal(results[1].Source, results[1].Replacement, "through memory: replacement = source");
        AssertBytes.Equal(results[1].Replacement, results[0].Replacement, "both paths rebuilt the same bytes");
        Assert.AreEqual(results[1].Sha, results[0].Sha);
    }

    [TestMethod]
    public void By_default_a_rebuild_reads_and_writes_through_memory_so_a_cloning_file_system_cannot_share_the_copies()
    {
        using var dir = new TempDirectory();
        string[] paths = [.. Enumerable.Range(0, 2).Select(i => Path.Combine(dir.Path, $"m{i}.img"))];
        IBlockDevice?[] devices = [.. paths.Select(p => (IBlockDevice?)ImageFileDevice.Create(p, TestArrays.MemberBytes))];
        using RaidArray array = TestArrays.Create(devices, RaidLevel.Raid1, 0);
        byte[] shadow = new byte[array.LengthBytes];
        TestArrays.RandomWrites(array, shadow, new Random(5), 20);
        RaidMember lost = array.MemberInSlot(1)!;
        array.Fail(lost, "test");
        array.Remove(lost);
        array.Add(ImageFileDevice.Create(Path.Combine(dir.Path, "new.img"), TestArrays.MemberBytes));

        Assert.IsFalse(array.RebuildKernelCopy);
        Assert.AreEqual(1, array.Rebuild(null, CancellationToken.None));
        Assert.AreEqual(0, array.LastRebuildTimings!.KernelCopiedBytes);
        AssertBytes.Equal(shadow, TestArrays.ReadAll(array));
    }

    [TestMethod]
    public void Images_on_file_systems_the_kernel_cannot_copy_between_are_rebuilt_through_memory()
    {
        // tmpfs has no copy method of its own, so copy_file_range from /dev/shm to another file system
        // fails with EXDEV (Linux 5.19 on): the rebuild must notice and read and write instead.
        if (!Directory.Exists("/dev/shm"))
        {
            Assert.Inconclusive("no /dev/shm here");
        }

        using var shm = new TempDirectory("/dev/shm");
        using var dir = new TempDirectory();
        IBlockDevice?[] devices = [.. Enumerable.Range(0, 2).Select(i => (IBlockDevice?)ImageFileDevice.Create(Path.Combine(shm.Path, $"{i}.img"), TestArrays.MemberBytes))];
        using RaidArray array = TestArrays.Create(devices, RaidLevel.Raid1, 0);
        byte[] shadow = new byte[array.LengthBytes];
        TestArrays.RandomWrites(array, shadow, new Random(3), 20);
        RaidMember lost = array.MemberInSlot(1)!;
        array.Fail(lost, "test");
        array.Remove(lost);
        RaidMember added = array.Add(ImageFileDevice.Create(Path.Combine(dir.Path, "new.img"), TestArrays.MemberBytes));
        array.RebuildWindowBytes = 64 * 1024;
        array.RebuildKernelCopy = true;

        Assert.AreEqual(1, array.Rebuild(null, CancellationToken.None));
        if (array.LastRebuildTimings!.KernelCopiedBytes > 0)
        {
            Assert.Inconclusive($"{shm.Path} and {dir.Path} are on one file system here; the kernel copied");
        }

        Assert.AreEqual(MemberState.InSync, added.State);
        Assert.IsTrue(array.Log.Any(line => line.Contains("no kernel copy", StringComparison.Ordinal)), string.Join("\n", array.Log));
        array.Close();
        using RaidArray check = TestArrays.Assemble([null, ImageFileDevice.Open(Path.Combine(dir.Path, "new.img"), writable: true)]);
        AssertBytes.Equal(shadow, TestArrays.ReadAll(check), "the replacement alone");
    }

    [TestMethod]
    public void A_replacement_that_is_a_block_device_is_rebuilt_through_memory()
    {
        using var dir = new TempDirectory();
        string image = Path.Combine(dir.Path, "new.img");
        ImageFileDevice.Create(image, TestArrays.MemberBytes).Dispose();
        using LoopDevice loop = LoopDevice.TryAttach(image, readOnly: false) ?? throw new AssertInconclusiveException("no loop device (losetup needs root)");
        IBlockDevice?[] devices = [.. Enumerable.Range(0, 2).Select(i => (IBlockDevice?)ImageFileDevice.Create(Path.Combine(dir.Path, $"{i}.img"), TestArrays.MemberBytes))];
        byte[] shadow;
        using (RaidArray array = TestArrays.Create(devices, RaidLevel.Raid1, 0))
        {
            shadow = new byte[array.LengthBytes];
            TestArrays.RandomWrites(array, shadow, new Random(9), 20);
            RaidMember lost = array.MemberInSlot(1)!;
            array.Fail(lost, "test");
            array.Remove(lost);
            RaidMember added = array.Add(ImageFileDevice.Open(loop.Path, writable: true));
            array.RebuildWindowBytes = 64 * 1024;
            array.RebuildKernelCopy = true;

            Assert.AreEqual(1, array.Rebuild(null, CancellationToken.None));
            Assert.AreEqual(MemberState.InSync, added.State);
            Assert.AreEqual(0, array.LastRebuildTimings!.KernelCopiedBytes, "no kernel copy into a block device");
            array.Close();
        }

        using RaidArray check = TestArrays.Assemble([null, ImageFileDevice.Open(image, writable: true)]);
        AssertBytes.Equal(shadow, TestArrays.ReadAll(check), "the replacement alone, read through its image file");
    }

    [TestMethod]
    public void A_source_image_truncated_mid_copy_is_failed_with_a_read_error_and_the_rebuild_goes_on_from_another_copy()
    {
        using var dir = new TempDirectory();
        string[] paths = [.. Enumerable.Range(0, 3).Select(i => Path.Combine(dir.Path, $"{i}.img"))];
        IBlockDevice?[] devices = [.. paths.Select(p => (IBlockDevice?)ImageFileDevice.Create(p, TestArrays.MemberBytes))];
        using RaidArray array = TestArrays.Create(devices, RaidLevel.Raid1, 0);
        byte[] shadow = new byte[array.LengthBytes];
        TestArrays.RandomWrites(array, shadow, new Random(7), 20);
        array.Fail(array.MemberInSlot(2)!, "test");
        RaidMember replacement = array.Add(ImageFileDevice.Create(Path.Combine(dir.Path, "new.img"), TestArrays.MemberBytes));
        array.RebuildWindowBytes = 64 * 1024;
        array.RebuildKernelCopy = true;

        // The copies come from the first in-sync member, slot 0: a third of the way in, its image loses
        // all but its first 8 KiB, so the kernel's copy comes up short.
        bool truncated = false;
        var progress = new RaidArrayTests.SynchronousProgress(p =>
        {
            if (!truncated && p.DoneSectors >= p.TotalSectors / 3)
            {
                truncated = true;
                File.WriteAllBytes(paths[0], new byte[8192]);
            }
        });

        Assert.AreEqual(1, array.Rebuild(progress, CancellationToken.None, checkpointBytes: 128 * 1024));
        Assert.IsTrue(truncated);
        RaidMember source = array.Members.Single(m => m.Device == devices[0]);
        Assert.AreEqual(MemberState.Faulty, source.State);
        StringAssert.Contains(source.FailReason, "read error");
        Assert.AreEqual(MemberState.InSync, replacement.State);
        Assert.IsTrue(array.LastRebuildTimings!.KernelCopiedBytes > (array.Geometry.MemberSectors * 512 / 2), "the copies went on in the kernel from slot 1");
        AssertBytes.Equal(shadow, TestArrays.ReadAll(array));
        array.Close();
        using RaidArray check = TestArrays.Assemble([null, ImageFileDevice.Open(paths[1], writable: true), ImageFileDevice.Open(Path.Combine(dir.Path, "new.img"), writable: true)]);
        AssertBytes.Equal(shadow, TestArrays.ReadAll(check));
    }

    [TestMethod]
    public void A_replacement_image_truncated_mid_copy_is_failed_with_a_write_error_and_the_array_stays_right()
    {
        using var dir = new TempDirectory();
        string[] paths = [.. Enumerable.Range(0, 2).Select(i => Path.Combine(dir.Path, $"{i}.img"))];
        IBlockDevice?[] devices = [.. paths.Select(p => (IBlockDevice?)ImageFileDevice.Create(p, TestArrays.MemberBytes))];
        using RaidArray array = TestArrays.Create(devices, RaidLevel.Raid1, 0);
        byte[] shadow = new byte[array.LengthBytes];
        TestArrays.RandomWrites(array, shadow, new Random(8), 20);
        RaidMember lost = array.MemberInSlot(1)!;
        array.Fail(lost, "test");
        array.Remove(lost);
        string replacementPath = Path.Combine(dir.Path, "new.img");
        RaidMember replacement = array.Add(ImageFileDevice.Create(replacementPath, TestArrays.MemberBytes));
        array.RebuildWindowBytes = 64 * 1024;
        array.RebuildKernelCopy = true;
        var progress = new RaidArrayTests.SynchronousProgress(p =>
        {
            if (p.DoneSectors >= p.TotalSectors / 3 && new FileInfo(replacementPath).Length > 8192)
            {
                File.WriteAllBytes(replacementPath, new byte[8192]);
            }
        });

        Assert.AreEqual(0, array.Rebuild(progress, CancellationToken.None, checkpointBytes: 128 * 1024));
        Assert.AreEqual(MemberState.Faulty, replacement.State);
        StringAssert.Contains(replacement.FailReason, "write error");
        Assert.AreEqual(MemberState.InSync, array.Members.Single(m => m.Device == devices[0]).State);
        Assert.AreEqual(8192, new FileInfo(replacementPath).Length, "no copy grew the truncated image again");
        AssertBytes.Equal(shadow, TestArrays.ReadAll(array));
    }

    private static byte[] MemberData(string path, long offset, long bytes)
    {
        using var file = File.OpenRead(path);
        byte[] data = new byte[bytes];
        file.Position = offset;
        file.ReadExactly(data);
        return data;
    }
}
