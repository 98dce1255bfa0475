using System.Text;
using UpsAgent.Backup.Iso9660;
using UpsAgent.Backup.Manifest;
using UpsAgent.Backup.Tests.Iso9660;
using UpsAgent.Backup.Tests.Manifest;
using UpsAgent.Backup.Verify;

namespace UpsAgent.Backup.Tests.Verify;

[TestClass]
public sealed class IsoVerifierTests
{
    [TestMethod]
    public void A_fresh_image_verifies_good_against_the_catalog_and_against_its_own_manifest()
    {
        using var dir = new TempDirectory();
        (byte[] image, BackupCatalog catalog) = Catalogued(dir);
        VerifyReport withCatalog = IsoVerifier.Verify(new MemoryStream(image), catalog);
        Assert.IsTrue(withCatalog.Good, string.Join("\n", withCatalog.Problems));
        Assert.AreEqual("catalog", withCatalog.ManifestSource);
        Assert.AreEqual(image.Length / 2048, withCatalog.BlocksRead);
        Assert.AreEqual(10, withCatalog.FilesChecked);
        Assert.AreEqual("TEST", withCatalog.VolumeId);
        Assert.AreEqual(MemoryTree.Time, withCatalog.CreatedTime);

        VerifyReport alone = IsoVerifier.Verify(new MemoryStream(image), null);
        Assert.IsTrue(alone.Good, string.Join("\n", alone.Problems));
        Assert.AreEqual("disc", alone.ManifestSource);
    }

    [TestMethod]
    public void Bit_flips_in_file_data_name_exactly_the_changed_files()
    {
        using var dir = new TempDirectory();
        (byte[] image, BackupCatalog catalog) = Catalogued(dir);
        string[] victims = ["README.txt", "random.bin", "deep/l1/l2/l3/l4/l5/l6/l7/l8/l9/bottom.txt", "日本語ディレクトリ/データ.txt"];
        IsoImage iso = IsoImage.Open(new MemoryStream(image));
        var extents = iso.Walk().ToDictionary(w => w.Path, w => w.Entry);
        int bit = 0;
        foreach (string path in victims)
        {
            IsoEntry e = extents[path];
            long at = (e.Extents[0].Lba * 2048L) + (e.SizeBytes - 1) * bit / 3;
            image[at] ^= (byte)(1 << (bit++ % 8));
        }

        foreach (BackupCatalog? c in new[] { catalog, null })
        {
            VerifyReport report = IsoVerifier.Verify(new MemoryStream(image), c);
            Assert.IsFalse(report.Good);
            CollectionAssert.AreEquivalent(victims, report.Problems.Select(p => p.Where).ToList(), string.Join("\n", report.Problems));
            Assert.IsTrue(report.Problems.All(p => p.Kind == VerifyProblemKind.ContentChanged));
            StringAssert.Contains(report.Problems[0].ToString(), "CHANGED ");
        }
    }

    [TestMethod]
    public void A_flipped_name_in_a_directory_record_shows_as_changed_metadata_a_missing_and_an_unexpected_entry()
    {
        using var dir = new TempDirectory();
        (byte[] image, BackupCatalog catalog) = Catalogued(dir);
        IsoImage iso = IsoImage.Open(new MemoryStream(image));
        int record = RecordOffset(image, iso.Root.Extents[0].Lba, "README.txt");
        int nm = IndexOf(image, Encoding.UTF8.GetBytes("README.txt"), record);
        image[nm] ^= 0x20; // "rEADME.txt"

        VerifyReport report = IsoVerifier.Verify(new MemoryStream(image), catalog);
        Assert.IsFalse(report.Good);
        Assert.AreEqual(1, report.Problems.Count(p => p.Kind == VerifyProblemKind.MetadataChanged));
        Assert.AreEqual("README.txt", report.Problems.Single(p => p.Kind == VerifyProblemKind.Missing).Where);
        Assert.AreEqual("rEADME.txt", report.Problems.Single(p => p.Kind == VerifyProblemKind.Unexpected).Where);
    }

    [TestMethod]
    public void A_corrupt_extent_in_a_directory_record_reports_the_directory_and_every_file_below_it()
    {
        using var dir = new TempDirectory();
        (byte[] image, BackupCatalog catalog) = Catalogued(dir);
        IsoImage iso = IsoImage.Open(new MemoryStream(image));
        IsoEntry japanese = iso.ReadDirectory(iso.Root).Single(e => e.Name == "日本語ディレクトリ");
        int record = RecordOffset(image, japanese.Extents[0].Lba, "データ.txt");
        image[record + 2] ^= 0x04; // LE half of the extent no longer matches the BE half

        VerifyReport report = IsoVerifier.Verify(new MemoryStream(image), catalog);
        Assert.IsFalse(report.Good);
        VerifyProblem structure = report.Problems.Single(p => p.Kind == VerifyProblemKind.Structure);
        Assert.AreEqual("日本語ディレクトリ", structure.Where);
        StringAssert.Contains(structure.Detail, "halves disagree");
        VerifyProblem missing = report.Problems.Single(p => p.Kind == VerifyProblemKind.Missing);
        Assert.AreEqual("日本語ディレクトリ/データ.txt", missing.Where);
        StringAssert.Contains(missing.Detail, "cannot be read");
        Assert.AreEqual(1, report.Problems.Count(p => p.Kind == VerifyProblemKind.MetadataChanged));
    }

    [TestMethod]
    public void A_damaged_manifest_on_the_disc_is_reported_and_the_catalog_copy_still_checks_the_files()
    {
        using var dir = new TempDirectory();
        (byte[] image, BackupCatalog catalog) = Catalogued(dir);
        IsoImage iso = IsoImage.Open(new MemoryStream(image));
        IsoEntry manifest = iso.ReadDirectory(iso.Root).Single(e => e.Name == BackupManifest.FileName);
        image[(manifest.Extents[0].Lba * 2048L) + 100] ^= 0x01;

        VerifyReport report = IsoVerifier.Verify(new MemoryStream(image), catalog);
        Assert.AreEqual("catalog", report.ManifestSource);
        Assert.AreEqual(10, report.FilesChecked);
        Assert.IsTrue(report.Problems.All(p => p.Kind == VerifyProblemKind.Manifest), string.Join("\n", report.Problems));
        Assert.IsTrue(report.Problems.Any(p => p.Detail.Contains("damaged", StringComparison.Ordinal)));

        VerifyReport alone = IsoVerifier.Verify(new MemoryStream(image), null);
        Assert.IsFalse(alone.Good);
        Assert.IsNull(alone.ManifestSource);
    }

    [TestMethod]
    public void An_image_without_any_manifest_is_read_through_but_never_called_good()
    {
        byte[] image = MemoryTree.Image(MemoryTree.Sample());
        VerifyReport report = IsoVerifier.Verify(new MemoryStream(image), null);
        Assert.IsFalse(report.Good);
        Assert.AreEqual(image.Length / 2048, report.BlocksRead);
        StringAssert.Contains(report.Problems.Single().Detail, "file contents cannot be checked");
    }

    [TestMethod]
    public void A_truncated_image_reports_the_missing_blocks()
    {
        using var dir = new TempDirectory();
        (byte[] image, BackupCatalog catalog) = Catalogued(dir);
        VerifyReport report = IsoVerifier.Verify(new MemoryStream(image[..(image.Length - (3 * 2048))]), catalog);
        Assert.IsFalse(report.Good);
        Assert.IsTrue(report.Problems.Any(p => p.Kind == VerifyProblemKind.Structure && p.Detail.Contains("truncated", StringComparison.Ordinal)), string.Join("\n", report.Problems));
        Assert.IsTrue(report.Problems.Any(p => p.Kind == VerifyProblemKind.Unreadable && p.Detail.Contains("truncated", StringComparison.Ordinal)), string.Join("\n", report.Problems));
    }

    [TestMethod]
    public void Blocks_that_fail_to_read_are_reported_by_number_and_the_files_on_them()
    {
        using var dir = new TempDirectory();
        (byte[] image, BackupCatalog catalog) = Catalogued(dir);
        IsoImage iso = IsoImage.Open(new MemoryStream(image));
        IsoEntry random = iso.ReadDirectory(iso.Root).Single(e => e.Name == "random.bin");
        long bad = random.Extents[0].Lba + 10;
        VerifyReport report = IsoVerifier.Verify(new FailingStream(image, bad, bad + 1), catalog);
        Assert.IsFalse(report.Good);
        Assert.AreEqual($"blocks {bad}-{bad + 1}", report.Problems.Single(p => p.Kind == VerifyProblemKind.Unreadable && p.Where.StartsWith("block", StringComparison.Ordinal)).Where);
        Assert.AreEqual("random.bin", report.Problems.Single(p => p.Kind == VerifyProblemKind.Unreadable && !p.Where.StartsWith("block", StringComparison.Ordinal)).Where);
        Assert.AreEqual(image.Length / 2048, report.BlocksRead);
    }

    [TestMethod]
    public void A_joliet_record_pointing_elsewhere_is_reported()
    {
        using var dir = new TempDirectory();
        (byte[] image, BackupCatalog catalog) = Catalogued(dir);
        IsoImage iso = IsoImage.Open(new MemoryStream(image));
        int record = RecordOffset(image, iso.JolietRoot!.Extents[0].Lba, "README.txt", Encoding.BigEndianUnicode);
        // Both halves, so the record still parses: a consistent but wrong extent.
        image[record + 2]++;
        image[record + 9]++;
        VerifyReport report = IsoVerifier.Verify(new MemoryStream(image), catalog);
        Assert.AreEqual("README.txt", report.Problems.Single(p => p.Kind == VerifyProblemKind.JolietMismatch).Where);
    }

    private static (byte[] Image, BackupCatalog Catalog) Catalogued(TempDirectory dir)
    {
        (byte[] image, ManifestedImageResult result) = ManifestedImageTests.Write(MemoryTree.Sample());
        var catalog = new BackupCatalog(dir.Path);
        catalog.Add(ManifestedImageFile.SessionOf(result, "memory", 0), result.ManifestBytes);
        return (image, catalog);
    }

    /// <summary>Offset of the directory record in the directory at <paramref name="lba"/> that holds <paramref name="name"/>.</summary>
    private static int RecordOffset(byte[] image, uint lba, string name, Encoding? encoding = null)
    {
        byte[] needle = (encoding ?? Encoding.UTF8).GetBytes(name);
        int at = (int)lba * 2048;
        int end = at + 2048;
        while (at < end && image[at] != 0)
        {
            if (IndexOf(image.AsSpan(0, at + image[at]).ToArray(), needle, at) >= 0)
            {
                return at;
            }

            at += image[at];
        }

        throw new InvalidOperationException($"no record for {name} in block {lba}");
    }

    private static int IndexOf(byte[] haystack, byte[] needle, int from)
    {
        int i = haystack.AsSpan(from).IndexOf(needle);
        return i < 0 ? -1 : from + i;
    }

    /// <summary>An image on a medium where some blocks give I/O errors, as a scratched disc does.</summary>
    private sealed class FailingStream(byte[] data, long firstBad, long lastBad) : MemoryStream(data, writable: false)
    {
        public override int Read(Span<byte> buffer)
        {
            Check(buffer.Length);
            return base.Read(buffer);
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            Check(count);
            return base.Read(buffer, offset, count);
        }

        private void Check(int count)
        {
            long first = Position / 2048;
            long last = (Position + count - 1) / 2048;
            if (count > 0 && first <= lastBad && last >= firstBad)
            {
                throw new IOException("Input/output error");
            }
        }
    }
}
