using UpsAgent.Raid.Commands;

namespace UpsAgent.Raid.Tests.Commands;

[TestClass]
public sealed class RaidCommandsTests
{
    private static (int Code, string Out, string Err) Run(string command, RaidCommandArgs args, Stream? stdin = null, Stream? stdout = null)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = RaidCommands.Run(command, args, output, error, stdin ?? Stream.Null, stdout ?? Stream.Null, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }

    private static string[] CreateArray(TempDirectory dir, int level, int disks, string prefix = "d")
    {
        string[] paths = [.. Enumerable.Range(0, disks).Select(i => Path.Combine(dir.Path, $"{prefix}{i}.img"))];
        (int code, _, string err) = Run("create", new RaidCommandArgs { Members = paths, Level = level, ChunkKib = 64, Size = "8M" });
        Assert.AreEqual(0, code, err);
        return paths;
    }

    [TestMethod]
    public void Write_then_degraded_read_returns_the_data()
    {
        using var dir = new TempDirectory();
        string[] paths = CreateArray(dir, 6, 4);
        byte[] data = new byte[300_000];
        new Random(1).NextBytes(data);
        Assert.AreEqual(0, Run("write", new RaidCommandArgs { Members = paths, Offset = 12345 }, new MemoryStream(data)).Code);
        var read = new MemoryStream();
        (int code, _, string err) = Run("read", new RaidCommandArgs { Members = ["missing", paths[1], "missing", paths[3]], Offset = 12345, Length = data.Length }, stdout: read);
        Assert.AreEqual(0, code, err);
        AssertBytes.Equal(data, read.ToArray());
    }

    [TestMethod]
    public void Create_needs_an_explicit_level()
    {
        using var dir = new TempDirectory();
        (int code, _, string err) = Run("create", new RaidCommandArgs { Members = [Path.Combine(dir.Path, "a.img")], Size = "8M" });
        Assert.AreEqual(1, code);
        StringAssert.Contains(err, "--level");
    }

    [TestMethod]
    public void Create_refuses_a_member_of_another_array_unless_forced()
    {
        using var dir = new TempDirectory();
        string[] paths = CreateArray(dir, 1, 2);
        (int code, _, string err) = Run("create", new RaidCommandArgs { Members = paths, Level = 0 });
        Assert.AreEqual(1, code);
        StringAssert.Contains(err, $"{paths[0]}: already a member of array");
    }

    [TestMethod]
    public void Members_of_different_arrays_are_refused_naming_both()
    {
        using var dir = new TempDirectory();
        string[] a = CreateArray(dir, 5, 3, "a");
        string[] b = CreateArray(dir, 5, 3, "b");
        (int code, _, string err) = Run("detail", new RaidCommandArgs { Members = [a[0], b[1], a[2]] });
        Assert.AreEqual(1, code);
        StringAssert.Contains(err, $"{b[1]}: belongs to array");
    }

    [TestMethod]
    public void A_corrupted_superblock_is_reported_with_its_checksum()
    {
        using var dir = new TempDirectory();
        string[] paths = CreateArray(dir, 5, 3);
        using (FileStream f = File.OpenWrite(paths[1]))
        {
            f.Position = 4096 + 100;
            f.WriteByte(0x42);
        }

        (int code, _, string err) = Run("examine", new RaidCommandArgs { Members = [paths[1]] });
        Assert.AreEqual(1, code);
        StringAssert.Contains(err, $"{paths[1]}: superblock checksum mismatch");
        (code, _, err) = Run("detail", new RaidCommandArgs { Members = paths });
        Assert.AreEqual(1, code);
        StringAssert.Contains(err, "checksum");
    }

    [TestMethod]
    public void A_truncated_member_is_reported_as_too_short()
    {
        using var dir = new TempDirectory();
        string[] paths = CreateArray(dir, 1, 2);
        File.WriteAllBytes(paths[0], File.ReadAllBytes(paths[0])[..5000]);
        (int code, _, string err) = Run("detail", new RaidCommandArgs { Members = paths });
        Assert.AreEqual(1, code);
        StringAssert.Contains(err, $"{paths[0]}: too short");
    }

    [TestMethod]
    public void A_member_shorter_than_the_array_is_refused()
    {
        using var dir = new TempDirectory();
        string[] paths = CreateArray(dir, 5, 3);
        using (FileStream f = File.OpenWrite(paths[2]))
        {
            f.SetLength(4L << 20);
        }

        (int code, _, string err) = Run("read", new RaidCommandArgs { Members = paths, Length = 10 });
        Assert.AreEqual(1, code);
        StringAssert.Contains(err, $"{paths[2]}:");
    }

    [TestMethod]
    public void A_blank_file_has_no_superblock()
    {
        using var dir = new TempDirectory();
        string blank = Path.Combine(dir.Path, "blank.img");
        File.WriteAllBytes(blank, new byte[1 << 20]);
        (int code, _, string err) = Run("examine", new RaidCommandArgs { Members = [blank] });
        Assert.AreEqual(1, code);
        StringAssert.Contains(err, "no md superblock");
    }

    [TestMethod]
    public void Asking_for_the_wrong_level_or_layout_is_an_error_not_a_conversion()
    {
        using var dir = new TempDirectory();
        string[] paths = CreateArray(dir, 5, 3);
        (int code, _, string err) = Run("write", new RaidCommandArgs { Members = paths, Level = 1 }, new MemoryStream(new byte[10]));
        Assert.AreEqual(1, code);
        StringAssert.Contains(err, "the array is RAID5, not RAID1");
        (code, _, err) = Run("check", new RaidCommandArgs { Members = paths, Layout = "right-asymmetric" });
        Assert.AreEqual(1, code);
        StringAssert.Contains(err, "left-symmetric, not right-asymmetric");
    }

    [TestMethod]
    public void Fail_add_rebuild_and_check_bring_the_array_back_in_sync()
    {
        using var dir = new TempDirectory();
        string[] paths = CreateArray(dir, 5, 3);
        byte[] data = new byte[1_000_000];
        new Random(2).NextBytes(data);
        Run("write", new RaidCommandArgs { Members = paths }, new MemoryStream(data));
        (int code, string output, string err) = Run("fail", new RaidCommandArgs { Members = paths, Device = paths[0] });
        Assert.AreEqual(0, code, err);
        StringAssert.Contains(output, "degraded");
        (code, output, _) = Run("detail", new RaidCommandArgs { Members = paths });
        StringAssert.Contains(output, "marked faulty");
        (code, _, err) = Run("remove", new RaidCommandArgs { Members = paths, Device = paths[0] });
        Assert.AreEqual(0, code, err);
        string replacement = Path.Combine(dir.Path, "new.img");
        (code, output, err) = Run("add", new RaidCommandArgs { Members = ["missing", paths[1], paths[2]], Device = replacement });
        Assert.AreEqual(0, code, err);
        StringAssert.Contains(output, "as role 0");
        string[] now = [replacement, paths[1], paths[2]];
        (code, output, err) = Run("rebuild", new RaidCommandArgs { Members = now });
        Assert.AreEqual(0, code, err);
        StringAssert.Contains(output, "100.0%");
        (code, output, _) = Run("check", new RaidCommandArgs { Members = now });
        StringAssert.Contains(output, "mismatch_cnt=0");
        var read = new MemoryStream();
        Run("read", new RaidCommandArgs { Members = [replacement, "missing", paths[2]], Length = data.Length }, stdout: read);
        AssertBytes.Equal(data, read.ToArray());
    }

    [TestMethod]
    public void A_member_that_left_a_bitmap_array_is_re_added_and_catches_up()
    {
        using var dir = new TempDirectory();
        string[] paths = [.. Enumerable.Range(0, 3).Select(i => Path.Combine(dir.Path, $"b{i}.img"))];
        (int code, string output, string err) = Run("create", new RaidCommandArgs { Members = paths, Level = 5, ChunkKib = 64, Size = "8M", Bitmap = true, BitmapChunkKib = 64 });
        Assert.AreEqual(0, code, err);
        byte[] data = new byte[1_000_000];
        new Random(3).NextBytes(data);
        Run("write", new RaidCommandArgs { Members = paths }, new MemoryStream(data));
        Assert.AreEqual(0, Run("fail", new RaidCommandArgs { Members = paths, Device = paths[0] }).Code);
        Assert.AreEqual(0, Run("remove", new RaidCommandArgs { Members = paths, Device = paths[0] }).Code);
        byte[] later = new byte[70_000];
        new Random(4).NextBytes(later);
        Run("write", new RaidCommandArgs { Members = ["missing", paths[1], paths[2]], Offset = 400_000 }, new MemoryStream(later));
        later.CopyTo(data, 400_000);

        (code, output, err) = Run("add", new RaidCommandArgs { Members = ["missing", paths[1], paths[2]], Device = paths[0] });
        Assert.AreEqual(0, code, err);
        StringAssert.Contains(output, "re-added");
        StringAssert.Contains(output, "as role 0");
        (code, _, err) = Run("rebuild", new RaidCommandArgs { Members = paths });
        Assert.AreEqual(0, code, err);
        (_, output, _) = Run("check", new RaidCommandArgs { Members = paths });
        StringAssert.Contains(output, "mismatch_cnt=0");
        var read = new MemoryStream();
        Run("read", new RaidCommandArgs { Members = [paths[0], "missing", paths[2]], Length = data.Length }, stdout: read);
        AssertBytes.Equal(data, read.ToArray());
    }

    [TestMethod]
    public void Sizes_take_binary_suffixes()
    {
        Assert.AreEqual(64L << 20, SizeParser.TryParse("64M"));
        Assert.AreEqual(512L << 10, SizeParser.TryParse("512k"));
        Assert.AreEqual(1234L, SizeParser.TryParse("1234"));
        Assert.IsNull(SizeParser.TryParse("12X4"));
        Assert.IsNull(SizeParser.TryParse("-5"));
    }
}
