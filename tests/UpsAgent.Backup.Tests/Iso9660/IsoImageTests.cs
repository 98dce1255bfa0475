using System.Buffers.Binary;
using UpsAgent.Backup.Iso9660;
using static UpsAgent.Backup.Tests.Iso9660.MemoryTree;

namespace UpsAgent.Backup.Tests.Iso9660;

[TestClass]
public sealed class IsoImageTests
{
    [TestMethod]
    public void Reading_back_gives_every_name_mode_owner_time_link_and_byte()
    {
        SourceNode root = Sample();
        IsoImage image = IsoImage.Open(new MemoryStream(Image(root)));
        Assert.IsTrue(image.HasRockRidge);
        Assert.IsTrue(image.HasJoliet);
        var read = image.Walk().ToDictionary(p => p.Path, p => p.Entry);
        var expected = new List<(string, SourceNode)>();
        Flatten(root, "", expected);
        Assert.HasCount(expected.Count, read, string.Join(", ", read.Keys));
        foreach ((string path, SourceNode node) in expected)
        {
            Assert.IsTrue(read.TryGetValue(path, out IsoEntry? e), $"missing {path}");
            Assert.AreEqual(node.Kind, e.Kind, path);
            Assert.AreEqual(node.PosixMode, e.Mode, path);
            Assert.AreEqual((node.Uid, node.Gid), (e.Uid, e.Gid), path);
            Assert.AreEqual((node.ModifyTime, node.AccessTime, node.ChangeTime), (e.ModifyTime, e.AccessTime, e.ChangeTime), path);
            Assert.AreEqual(node.SymlinkTarget, e.SymlinkTarget, path);
            if (node.Kind == SourceKind.File)
            {
                var data = new MemoryStream();
                image.CopyFile(e, data);
                Assert.IsTrue(Content(node).AsSpan().SequenceEqual(data.ToArray()), path);
            }
        }
    }

    [TestMethod]
    public void The_joliet_tree_holds_files_and_directories_but_no_links()
    {
        IsoImage image = IsoImage.Open(new MemoryStream(Image(Sample())));
        var names = image.Walk(joliet: true).Select(p => p.Path).ToList();
        CollectionAssert.Contains(names, "日本語ディレクトリ/データ.txt");
        CollectionAssert.DoesNotContain(names, "abs_link");
        Assert.IsTrue(names.All(n => n.Split('/').All(part => part.Length <= 64)));
    }

    [TestMethod]
    public void A_long_symlink_target_survives_chained_continuation_areas()
    {
        string target = string.Join('/', Enumerable.Repeat("segment_of_a_long_path", 200));
        IsoImage image = IsoImage.Open(new MemoryStream(Image(Dir("", Link("far", target), File(new string('z', 255), 1)))));
        var read = image.Walk().ToDictionary(p => p.Path, p => p.Entry);
        Assert.AreEqual(target, read["far"].SymlinkTarget);
        Assert.IsTrue(read.ContainsKey(new string('z', 255)));
    }

    [TestMethod]
    public void A_directory_larger_than_one_block_keeps_every_record_whole()
    {
        SourceNode[] files = Enumerable.Range(0, 400).Select(i => File($"file_number_{i:D4}_with_a_longer_name.dat", i % 5)).ToArray();
        IsoPlan plan = IsoPlanner.Plan(Dir("", files), new IsoOptions("TEST", Time));
        Assert.IsGreaterThan(10, plan.PrimaryDirectories[0].Blocks);
        IsoImage image = IsoImage.Open(new MemoryStream(Image(Dir("", files))));
        Assert.HasCount(400, image.Walk().ToList());
        Assert.HasCount(400, image.Walk(joliet: true).ToList());
    }

    [TestMethod]
    public void A_truncated_image_is_reported_with_both_sizes()
    {
        byte[] image = Image(Sample());
        var e = Assert.ThrowsExactly<IsoFormatException>(() => IsoImage.Open(new MemoryStream(image[..(image.Length - 4096)])));
        StringAssert.Contains(e.Message, "truncated");
        StringAssert.Contains(e.Message, $"holds {image.Length - 4096} bytes");
        Assert.ThrowsExactly<IsoFormatException>(() => IsoImage.Open(new MemoryStream(image[..20000])));
    }

    [TestMethod]
    public void A_corrupted_descriptor_is_reported_by_block()
    {
        byte[] image = Image(Sample());
        image[(16 * 2048) + 3] = (byte)'X';
        var e = Assert.ThrowsExactly<IsoFormatException>(() => IsoImage.Open(new MemoryStream(image)));
        StringAssert.Contains(e.Message, "block 16");

        image = Image(Sample());
        image[(16 * 2048) + 84] ^= 0x40; // BE half of the volume space size
        e = Assert.ThrowsExactly<IsoFormatException>(() => IsoImage.Open(new MemoryStream(image)));
        StringAssert.Contains(e.Message, "volume space size");
    }

    [TestMethod]
    public void A_corrupted_directory_record_is_reported_when_listing()
    {
        byte[] image = Image(Sample());
        uint rootLba = BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan((16 * 2048) + 156 + 2));
        int third = (int)(rootLba * 2048) + image[(int)(rootLba * 2048)];
        third += image[third]; // skip "." and ".."
        image[third + 2] ^= 0xFF; // LE half of the extent no longer matches the BE half
        IsoImage iso = IsoImage.Open(new MemoryStream(image));
        var e = Assert.ThrowsExactly<IsoFormatException>(() => iso.Walk().ToList());
        StringAssert.Contains(e.Message, "corrupt directory record");
    }

    [TestMethod]
    public void Random_corruption_never_escapes_as_anything_but_a_format_or_io_error()
    {
        byte[] original = Image(Sample());
        var random = new Random(6);
        for (int round = 0; round < 300; round++)
        {
            byte[] image = (byte[])original.Clone();
            for (int i = 0; i < 8; i++)
            {
                image[random.Next(16 * 2048, 60 * 2048)] = (byte)random.Next(256);
            }

            try
            {
                IsoImage iso = IsoImage.Open(new MemoryStream(image));
                foreach ((_, IsoEntry e) in iso.Walk())
                {
                    if (e.Kind == SourceKind.File)
                    {
                        iso.CopyFile(e, Stream.Null);
                    }
                }
            }
            catch (Exception e) when (e is IsoFormatException or IOException)
            {
                // The only acceptable failures: a message about the image.
            }
        }
    }

    private static void Flatten(SourceNode dir, string prefix, List<(string, SourceNode)> into)
    {
        foreach (SourceNode child in dir.Children)
        {
            string path = prefix.Length == 0 ? child.Name : $"{prefix}/{child.Name}";
            into.Add((path, child));
            if (child.Kind == SourceKind.Directory)
            {
                Flatten(child, path, into);
            }
        }
    }
}
