using UpsAgent.Raid.Engine;
using UpsAgent.Raid.Geometry;
using UpsAgent.Raid.Storage;
using UpsAgent.Raid.Tests.Engine;

namespace UpsAgent.Raid.Tests.Storage;

[TestClass]
public sealed class ImageFileDeviceTests
{
    [TestMethod]
    public void A_write_after_the_image_was_truncated_fails_instead_of_growing_a_hole()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "a.img");
        using ImageFileDevice device = ImageFileDevice.Create(path, 1 << 20);
        File.WriteAllBytes(path, new byte[4096]);
        var e = Assert.ThrowsExactly<IOException>(() => device.Write(512 * 1024, new byte[512]));
        StringAssert.Contains(e.Message, "shrank to 4096 bytes");
        Assert.AreEqual(4096, new FileInfo(path).Length, "the write did not extend the file again");
    }

    [TestMethod]
    public void A_kernel_copy_between_images_copies_exactly_the_range()
    {
        using var dir = new TempDirectory();
        using ImageFileDevice from = ImageFileDevice.Create(Path.Combine(dir.Path, "a.img"), 1 << 20);
        using ImageFileDevice to = ImageFileDevice.Create(Path.Combine(dir.Path, "b.img"), 1 << 20);
        byte[] data = new byte[1 << 20];
        new Random(1).NextBytes(data);
        from.Write(0, data);
        byte[] before = new byte[1 << 20];
        new Random(2).NextBytes(before);
        to.Write(0, before);

        Assert.IsTrue(from.TryCopyTo(4096, to, 8192, 300_000));
        byte[] after = new byte[1 << 20];
        to.Read(0, after);
        data.AsSpan(4096, 300_000).CopyTo(before.AsSpan(8192));
        AssertBytes.Equal(before, after);
    }

    [TestMethod]
    public void A_kernel_copy_into_a_truncated_image_fails_instead_of_growing_a_hole()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "b.img");
        using ImageFileDevice from = ImageFileDevice.Create(Path.Combine(dir.Path, "a.img"), 1 << 20);
        using ImageFileDevice to = ImageFileDevice.Create(path, 1 << 20);
        File.WriteAllBytes(path, new byte[4096]);
        var e = Assert.ThrowsExactly<IOException>(() => from.TryCopyTo(0, to, 512 * 1024, 4096));
        StringAssert.Contains(e.Message, "shrank to 4096 bytes");
        Assert.AreEqual(4096, new FileInfo(path).Length);
    }

    [TestMethod]
    public void A_kernel_copy_from_a_truncated_image_fails_as_short()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "a.img");
        using ImageFileDevice from = ImageFileDevice.Create(path, 1 << 20);
        using ImageFileDevice to = ImageFileDevice.Create(Path.Combine(dir.Path, "b.img"), 1 << 20);
        File.WriteAllBytes(path, new byte[4096]);
        var e = Assert.ThrowsExactly<IOException>(() => from.TryCopyTo(0, to, 0, 64 * 1024));
        StringAssert.Contains(e.Message, "stopped at byte 4096");
    }

    [TestMethod]
    public void A_flush_after_the_image_was_deleted_fails()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "a.img");
        using ImageFileDevice device = ImageFileDevice.Create(path, 1 << 20);
        device.Write(0, new byte[512]);
        File.Delete(path);
        var e = Assert.ThrowsExactly<IOException>(device.Flush);
        StringAssert.Contains(e.Message, "deleted or moved away");
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void A_mirror_member_truncated_or_deleted_mid_write_fails_and_every_byte_reads_back(bool delete)
    {
        using var dir = new TempDirectory();
        string[] paths = [Path.Combine(dir.Path, "d0.img"), Path.Combine(dir.Path, "d1.img")];
        var devices = paths.Select(p => (IBlockDevice?)ImageFileDevice.Create(p, TestArrays.MemberBytes)).ToArray();
        using RaidArray array = TestArrays.Create(devices, RaidLevel.Raid1, 0);
        var shadow = new byte[array.LengthBytes];
        var random = new Random(5);
        TestArrays.RandomWrites(array, shadow, random, 8);
        if (delete)
        {
            File.Delete(paths[1]);
        }
        else
        {
            File.WriteAllBytes(paths[1], new byte[8192]);
        }

        TestArrays.RandomWrites(array, shadow, random, 8);
        array.Flush();
        Assert.AreEqual(MemberState.Faulty, array.Members.Single(m => m.Device == devices[1]).State);
        AssertBytes.Equal(shadow, TestArrays.ReadAll(array), delete ? "deleted" : "truncated");
    }
}
