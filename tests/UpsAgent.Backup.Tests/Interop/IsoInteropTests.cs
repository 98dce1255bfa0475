using UpsAgent.Backup.Iso9660;

namespace UpsAgent.Backup.Tests.Interop;

// Independent readers of our images, from the Debian packages genisoimage (isoinfo, isovfy),
// xorriso, libarchive-tools (bsdtar) and p7zip-full (7z); what each should say is in specs/iso.md §4.
[TestClass]
[TestCategory("Interop")]
public sealed class IsoInteropTests
{
    private const string Isoinfo = "/usr/bin/isoinfo";
    private const string Isovfy = "/usr/bin/isovfy";
    private const string Xorriso = "/usr/bin/xorriso";
    private const string Bsdtar = "/usr/bin/bsdtar";
    private const string SevenZip = "/usr/bin/7z";

    [TestMethod]
    public void Isoinfo_finds_rock_ridge_and_joliet_and_isovfy_finds_no_errors()
    {
        Tool.Require(Isoinfo, "genisoimage");
        Tool.Require(Isovfy, "genisoimage");
        using var dir = new TempDirectory();
        string image = Build(dir);
        string d = Tool.Ok(Isoinfo, "-d", "-i", image);
        StringAssert.Contains(d, "Volume id: UPSAGENT_TEST");
        StringAssert.Contains(d, "Joliet with UCS level 3 found");
        StringAssert.Contains(d, "Rock Ridge signatures version 1 found");
        StringAssert.Contains(d, $"Volume size is: {new FileInfo(image).Length / 2048}");
        StringAssert.Contains(Tool.Ok(Isovfy, "-i", image), "No errors found");
    }

    [TestMethod]
    public void Isoinfo_lists_real_names_modes_and_owners_in_rock_ridge_and_cut_names_in_joliet()
    {
        Tool.Require(Isoinfo, "genisoimage");
        using var dir = new TempDirectory();
        string image = Build(dir);
        string rr = Tool.Ok(Isoinfo, "-R", "-l", "-i", image);
        StringAssert.Contains(rr, DiskTree.LongName);
        StringAssert.Contains(rr, "バックアップ.sql");
        StringAssert.Contains(rr, "abs_link -> /etc/hostname");
        StringAssert.Contains(rr, "Directory listing of /deep/l1/l2/l3/l4/l5/l6/l7/l8/l9/");
        if (Environment.IsPrivilegedProcess)
        {
            // isoinfo prints uid and gid in octal: 1234 = 02322.
            StringAssert.Matches(rr, new System.Text.RegularExpressions.Regex(@"-rw-------\s+1\s+2322\s+2322\s+7 .*secret_0600\.conf"));
        }

        string joliet = Tool.Ok(Isoinfo, "-J", "-l", "-i", image);
        StringAssert.Contains(joliet, DiskTree.LongName[..(64 - 3)] + ".gz");
        Assert.DoesNotContain("abs_link", joliet);
    }

    [TestMethod]
    public void Xorriso_lists_every_path_compares_equal_to_the_source_and_reads_every_block()
    {
        Tool.Require(Xorriso, "xorriso");
        using var dir = new TempDirectory();
        string image = Build(dir);
        string lsdl = Tool.Ok(Xorriso, "-indev", image, "-find", "/", "-exec", "lsdl");
        foreach (string line in DiskTree.Manifest(Path.Combine(dir.Path, "src")))
        {
            StringAssert.Contains(lsdl, $"'/{line.Split('|')[0]}'");
        }

        StringAssert.Contains(lsdl, "'/secret_0600.conf'");
        StringAssert.Contains(lsdl, "-> '/etc/hostname'");
        string compare = Tool.Ok(Xorriso, "-indev", image, "-compare_r", Path.Combine(dir.Path, "src"), "/");
        StringAssert.Contains(compare, "Both file objects match as far as expectable.");
        string check = Tool.Ok(Xorriso, "-indev", image, "-check_media", "--");
        StringAssert.Contains(check, "Media checks :        lba ,       size , quality");
        Assert.DoesNotContain("unreadable", check);
    }

    [TestMethod]
    public void Bsdtar_extracts_the_tree_byte_for_byte_with_modes_owners_times_and_symlinks()
    {
        Tool.Require(Bsdtar, "libarchive-tools");
        using var dir = new TempDirectory();
        string image = Build(dir);
        string list = Tool.Ok(Bsdtar, "-tvf", image);
        StringAssert.Contains(list, DiskTree.LongName);
        StringAssert.Contains(list, "link_to_dump -> バックアップ.sql");
        string output = Path.Combine(dir.Path, "bsdtar");
        Directory.CreateDirectory(output);
        Tool.Ok(Bsdtar, "-xpf", image, "-C", output);
        CollectionAssert.AreEqual(DiskTree.Manifest(Path.Combine(dir.Path, "src")), DiskTree.Manifest(output));
    }

    [TestMethod]
    public void SevenZip_lists_and_tests_the_joliet_tree()
    {
        Tool.Require(SevenZip, "p7zip-full");
        using var dir = new TempDirectory();
        string image = Build(dir);
        List<string> manifest = DiskTree.Manifest(Path.Combine(dir.Path, "src"));
        string list = Tool.Ok(SevenZip, "l", image);

        // 7-Zip prefers Joliet: names cut to 64 characters keeping the extension, no symlinks or device nodes.
        int files = manifest.Count(l => l.Split('|')[1] == "f");
        int folders = manifest.Count(l => l.Split('|')[1] == "d");
        StringAssert.Contains(list, $"{files} files, {folders} folders");
        StringAssert.Contains(list, "日本語ディレクトリ/データ.txt");
        StringAssert.Contains(list, DiskTree.LongName[..(64 - 3)] + ".gz");
        Assert.DoesNotContain("abs_link", list);
        string test = Tool.Ok(SevenZip, "t", image);
        StringAssert.Contains(test, "Everything is Ok");
        StringAssert.Contains(test, $"Files: {files}");
    }

    [TestMethod]
    public void Our_extractor_reproduces_the_tree_like_bsdtar()
    {
        using var dir = new TempDirectory();
        string image = Build(dir);
        string output = Path.Combine(dir.Path, "ours");
        using (var stream = File.OpenRead(image))
        {
            IsoExtractor.Extract(IsoImage.Open(stream), output, Environment.IsPrivilegedProcess);
        }

        CollectionAssert.AreEqual(DiskTree.Manifest(Path.Combine(dir.Path, "src")), DiskTree.Manifest(output));
    }

    [TestMethod]
    public void Our_reader_extracts_an_image_that_xorriso_wrote()
    {
        Tool.Require(Xorriso, "xorriso");
        using var dir = new TempDirectory();
        string source = Path.Combine(dir.Path, "src");
        DiskTree.Create(source);
        string image = Path.Combine(dir.Path, "x.iso");
        Tool.Ok(Xorriso, "-as", "mkisofs", "-R", "-J", "-o", image, source);
        string output = Path.Combine(dir.Path, "ours");
        using (var stream = File.OpenRead(image))
        {
            IsoExtractor.Extract(IsoImage.Open(stream), output, Environment.IsPrivilegedProcess);
        }

        CollectionAssert.AreEqual(DiskTree.Manifest(source), DiskTree.Manifest(output));
    }

    [TestMethod]
    public void Writing_one_snapshot_twice_gives_the_same_bytes()
    {
        // The snapshot, not the live tree, is the input: reading a file updates its atime.
        using var dir = new TempDirectory();
        string source = Path.Combine(dir.Path, "src");
        DiskTree.Create(source);
        SourceNode snapshot = SourceScanner.Scan(source);
        byte[] Write()
        {
            using var output = new MemoryStream();
            IsoWriter.Write(IsoPlanner.Plan(snapshot, new IsoOptions("UPSAGENT_TEST", DiskTree.Time)), output, n => File.OpenRead(n.SourcePath!));
            return output.ToArray();
        }

        Assert.IsTrue(Write().AsSpan().SequenceEqual(Write()));
    }

    private static string Build(TempDirectory dir)
    {
        string source = Path.Combine(dir.Path, "src");
        DiskTree.Create(source);
        string image = Path.Combine(dir.Path, "ours.iso");
        IsoImageFile.Build(source, image, new IsoOptions("UPSAGENT_TEST", DiskTree.Time));
        return image;
    }
}
