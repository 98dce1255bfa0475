using System.Globalization;
using System.Security.Cryptography;
using UpsAgent.Backup.Iso9660;
using UpsAgent.Backup.Manifest;
using UpsAgent.Backup.Media;
using UpsAgent.Backup.Tests.Interop;
using UpsAgent.Backup.Verify;

namespace UpsAgent.Backup.Tests.Media;

// The drive class against the real xorriso 1.5.4, with a "stdio:" file standing in for the drive, and our
// verified sessions read by xorriso (-check_media) and bsdtar (whose extracted bytes must match the manifest).
[TestClass]
[TestCategory("Interop")]
public sealed class MediaInteropTests
{
    private const string Xorriso = "/usr/bin/xorriso";
    private const string Bsdtar = "/usr/bin/bsdtar";

    [TestMethod]
    public void A_stdio_drive_goes_blank_written_blank_through_the_real_xorriso()
    {
        Tool.Require(Xorriso, "xorriso");
        using var dir = new TempDirectory();
        string file = Path.Combine(dir.Path, "drive.img");
        File.WriteAllBytes(file, []);
        var drive = new OpticalDrive("stdio:" + file, new ToolProcessRunner());
        MediumStatus blank = drive.Status();
        Assert.AreEqual(MediumState.Blank, blank.State);
        Assert.AreEqual("stdio file, overwriteable", blank.MediumType);
        Assert.IsNull(drive.MultiSessionInfo());

        string src = Path.Combine(dir.Path, "src");
        DiskTree.Create(src);
        WrittenSession written = drive.WriteSession(SourceScanner.Scan(src), new IsoOptions("UPSAGENT_A", DiskTree.Time), ManifestedImageFile.OpenSource);
        MediumStatus status = drive.Status();
        Assert.AreEqual(MediumState.Appendable, status.State);
        Assert.AreEqual("UPSAGENT_A", status.VolumeId);
        Assert.AreEqual(written.Result.Plan.VolumeBlocks, status.Sessions.Single().Blocks);
        string msinfo = Tool.Ok(Xorriso, "-as", "cdrecord", $"dev={file}", "--grow_overwriteable_iso", "-msinfo").Split('\n').Single(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^\d+,\d+$"));
        Assert.AreEqual(msinfo, drive.MultiSessionInfo()!.ToString());
        using (FileStream stream = File.OpenRead(written.ReadPath))
        {
            VerifyReport report = IsoVerifier.Verify(stream, null);
            Assert.IsTrue(report.Good, string.Join("\n", report.Problems));
        }

        drive.Blank(BlankMode.Fast);
        Assert.AreEqual(MediumState.Blank, drive.Status().State);
    }

    [TestMethod]
    public void A_verified_virtual_disc_passes_xorriso_check_media_and_bsdtar_extracts_the_manifest_hashes()
    {
        Tool.Require(Xorriso, "xorriso");
        Tool.Require(Bsdtar, "libarchive-tools");
        using var dir = new TempDirectory();
        string src = Path.Combine(dir.Path, "src");
        DiskTree.Create(src);
        var catalog = new BackupCatalog(Path.Combine(dir.Path, "state"));
        VirtualDisc disc = VirtualDisc.Create(Path.Combine(dir.Path, "a.iso"), MediumProfile.Cd700);
        RotationOutcome outcome = new RotationRun(catalog).Run([("UPSAGENT_A", disc)], SourceScanner.Scan(src), DiskTree.Time, ManifestedImageFile.OpenSource, dryRun: false);
        Assert.IsTrue(outcome.Verify!.Good, string.Join("\n", outcome.Verify.Problems));
        Assert.AreEqual("catalog", outcome.Verify.ManifestSource);

        string check = Tool.Ok(Xorriso, "-indev", disc.ImagePath, "-check_media", "--");
        StringAssert.Contains(check, "Media checks :        lba ,       size , quality");
        StringAssert.Contains(check, string.Create(CultureInfo.InvariantCulture, $"{outcome.Written!.Result.Plan.VolumeBlocks} , + good"));
        Assert.DoesNotContain("unreadable", check);

        string output = Path.Combine(dir.Path, "out");
        Directory.CreateDirectory(output);
        Tool.Ok(Bsdtar, "-xf", disc.ImagePath, "-C", output);
        BackupManifest manifest = BackupManifest.Parse(File.ReadAllBytes(Path.Combine(output, BackupManifest.FileName)), "extracted");
        int files = 0;
        foreach (ManifestEntry e in manifest.Entries.Where(e => e.Type == ManifestEntryType.File))
        {
            Assert.AreEqual(e.Sha256, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(output, e.Path)))), e.Path);
            files++;
        }

        Assert.IsGreaterThan(8, files);
    }
}
