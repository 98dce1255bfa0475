using System.Security.Cryptography;
using UpsAgent.Backup.Iso9660;
using UpsAgent.Backup.Manifest;
using UpsAgent.Backup.Tests.Iso9660;

namespace UpsAgent.Backup.Tests.Manifest;

[TestClass]
public sealed class ManifestedImageTests
{
    [TestMethod]
    public void The_manifest_lists_every_entry_with_the_sha256_of_the_bytes_written()
    {
        SourceNode root = MemoryTree.Sample();
        (byte[] image, ManifestedImageResult result) = Write(root);
        var byPath = Flatten(root).ToDictionary(p => p.Path, p => p.Node);
        Assert.HasCount(byPath.Count, result.Manifest.Entries);
        foreach (ManifestEntry e in result.Manifest.Entries)
        {
            SourceNode node = byPath[e.Path];
            Assert.AreEqual(node.Permissions, e.Permissions, e.Path);
            Assert.AreEqual(node.ModifyTime, e.ModifyTime, e.Path);
            if (node.Kind == SourceKind.File)
            {
                Assert.AreEqual(Convert.ToHexStringLower(SHA256.HashData(MemoryTree.Content(node))), e.Sha256, e.Path);
                Assert.AreEqual(node.SizeBytes, e.SizeBytes);
            }
            else
            {
                Assert.IsNull(e.Sha256);
            }
        }

        Assert.AreEqual("/etc/hostname", result.Manifest.Find("abs_link")!.Target);
        Assert.AreEqual(0x180u, result.Manifest.Find("secret_0600.conf")!.Permissions);
        Assert.AreEqual(1234u, result.Manifest.Find("secret_0600.conf")!.Uid);
        Assert.IsNull(result.Manifest.Find(BackupManifest.FileName));
        Assert.AreEqual(image.Length, result.Plan.VolumeBlocks * 2048L);
    }

    [TestMethod]
    public void The_manifest_is_a_read_only_file_in_the_root_whose_data_is_the_last_extent()
    {
        (byte[] image, ManifestedImageResult result) = Write(MemoryTree.Sample());
        IsoImage iso = IsoImage.Open(new MemoryStream(image));
        IsoEntry entry = iso.ReadDirectory(iso.Root).Single(e => e.Name == BackupManifest.FileName);
        Assert.AreEqual(0x8124u, entry.Mode);
        using var copy = new MemoryStream();
        iso.CopyFile(entry, copy);
        CollectionAssert.AreEqual(result.ManifestBytes, copy.ToArray());
        uint lastData = iso.Walk().Where(w => w.Entry.Kind == SourceKind.File && w.Entry.SizeBytes > 0).Max(w => w.Entry.Extents[0].Lba);
        Assert.AreEqual(lastData, entry.Extents[0].Lba);
        Assert.AreEqual(iso.VolumeBlocks, entry.Extents[0].Lba + (uint)((entry.SizeBytes + 2047) / 2048));
        BackupManifest parsed = BackupManifest.Parse(copy.ToArray(), "disc");
        Assert.AreEqual("TEST", parsed.VolumeId);
    }

    [TestMethod]
    public void Every_other_file_keeps_its_content_when_the_manifest_moves_to_the_end()
    {
        SourceNode root = MemoryTree.Sample();
        (byte[] image, _) = Write(root);
        IsoImage iso = IsoImage.Open(new MemoryStream(image));
        var byPath = Flatten(root).ToDictionary(p => p.Path, p => p.Node);
        foreach ((string path, IsoEntry entry) in iso.Walk().Where(w => w.Entry.Kind == SourceKind.File && w.Path != BackupManifest.FileName))
        {
            using var copy = new MemoryStream();
            iso.CopyFile(entry, copy);
            CollectionAssert.AreEqual(MemoryTree.Content(byPath[path]), copy.ToArray(), path);
        }
    }

    [TestMethod]
    public void The_metadata_digest_covers_every_block_before_the_file_data()
    {
        (byte[] image, ManifestedImageResult result) = Write(MemoryTree.Sample());
        Assert.AreEqual(result.Plan.DataLba, result.MetadataBlocks);
        Assert.AreEqual(Convert.ToHexStringLower(SHA256.HashData(image.AsSpan(0, (int)result.MetadataBlocks * 2048))), result.MetadataSha256);
    }

    [TestMethod]
    public void A_source_file_with_the_manifest_name_is_replaced_by_the_manifest()
    {
        SourceNode root = MemoryTree.Dir("", MemoryTree.File("a.txt", 10), MemoryTree.File(BackupManifest.FileName, 3));
        (byte[] image, ManifestedImageResult result) = Write(root);
        Assert.HasCount(1, result.Manifest.Entries);
        IsoImage iso = IsoImage.Open(new MemoryStream(image));
        Assert.AreEqual(result.ManifestBytes.Length, iso.ReadDirectory(iso.Root).Single(e => e.Name == BackupManifest.FileName).SizeBytes);
    }

    [TestMethod]
    public void A_source_that_shrinks_while_written_fails_the_build()
    {
        SourceNode root = MemoryTree.Dir("", MemoryTree.File("a.txt", 10));
        using var output = new MemoryStream();
        var e = Assert.ThrowsExactly<IOException>(() => ManifestedImage.Write(root, new IsoOptions("TEST", MemoryTree.Time), output, _ => new MemoryStream(new byte[4])));
        StringAssert.Contains(e.Message, "shrank");
    }

    [TestMethod]
    public void Moving_a_file_in_a_plan_that_is_not_one_contiguous_data_area_is_refused()
    {
        SourceNode root = MemoryTree.Dir("", MemoryTree.File("a.txt", 10), MemoryTree.File("b.txt", 5000));
        IsoPlan plan = IsoPlanner.Plan(root, new IsoOptions("TEST", MemoryTree.Time));
        plan.Files[1].Lba = 5;
        Assert.ThrowsExactly<InvalidOperationException>(() => ManifestLayout.MoveToEnd(plan, plan.Files[0]));
    }

    internal static (byte[] Image, ManifestedImageResult Result) Write(SourceNode root, string volumeId = "TEST")
    {
        using var output = new MemoryStream();
        ManifestedImageResult result = ManifestedImage.Write(root, new IsoOptions(volumeId, MemoryTree.Time), output, n => new MemoryStream(MemoryTree.Content(n)));
        return (output.ToArray(), result);
    }

    private static IEnumerable<(string Path, SourceNode Node)> Flatten(SourceNode dir, string prefix = "")
    {
        foreach (SourceNode c in dir.Children.Where(c => c.Name != BackupManifest.FileName))
        {
            string path = prefix.Length == 0 ? c.Name : $"{prefix}/{c.Name}";
            yield return (path, c);
            if (c.Kind == SourceKind.Directory)
            {
                foreach (var x in Flatten(c, path))
                {
                    yield return x;
                }
            }
        }
    }
}
