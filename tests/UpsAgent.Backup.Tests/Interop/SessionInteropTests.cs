using System.Text.RegularExpressions;
using UpsAgent.Backup.Iso9660;
using UpsAgent.Backup.Posix;
using UpsAgent.Backup.Sessions;

namespace UpsAgent.Backup.Tests.Interop;

// Grown multi-session images (specs/iso.md §3.5) as independent readers see them: the tools that read
// only block 16 (isoinfo, bsdtar, 7z) must show the newest tree, xorriso must list every session.
[TestClass]
[TestCategory("Interop")]
public sealed class SessionInteropTests
{
    private const string Isoinfo = "/usr/bin/isoinfo";
    private const string Xorriso = "/usr/bin/xorriso";
    private const string Bsdtar = "/usr/bin/bsdtar";
    private const string Isovfy = "/usr/bin/isovfy";
    private const string SevenZip = "/usr/bin/7z";

    [TestMethod]
    public void Three_appends_show_exactly_the_current_tree_to_every_reader_and_share_unchanged_extents()
    {
        Tool.Require(Isoinfo, "genisoimage");
        Tool.Require(Xorriso, "xorriso");
        Tool.Require(Bsdtar, "libarchive-tools");
        Tool.Require(SevenZip, "p7zip-full");
        using var dir = new TempDirectory();
        string src = Path.Combine(dir.Path, "src");
        string image = Path.Combine(dir.Path, "grown.iso");
        DiskTree.Create(src);

        // Extents are kept only for files changed before the earlier snapshot's second began.
        Thread.Sleep(1100);
        List<string> first = DiskTree.Manifest(src);
        Append(image, src);
        CheckNewest(dir, image, src, sessions: 1, absent: []);

        File.WriteAllText(Path.Combine(src, "README.txt"), "hello, changed\n");
        File.WriteAllText(Path.Combine(src, "added_in_2.txt"), "two\n");
        File.Delete(Path.Combine(src, "empty.txt"));
        File.Delete(Path.Combine(src, "日本語ディレクトリ", "データ.txt"));
        // Same size, mtime put back: only ctime tells that random.bin changed.
        byte[] random = File.ReadAllBytes(Path.Combine(src, "random.bin"));
        random[500] ^= 0xFF;
        File.WriteAllBytes(Path.Combine(src, "random.bin"), random);
        PosixFiles.SetTimes(Path.Combine(src, "random.bin"), DiskTree.Time, DiskTree.Time);
        Thread.Sleep(1100);
        AppendResult second = Append(image, src);
        CheckNewest(dir, image, src, sessions: 2, absent: ["empty.txt", "データ.txt"]);

        File.Delete(Path.Combine(src, "added_in_2.txt"));
        Directory.Delete(Path.Combine(src, "empty_dir"));
        File.WriteAllText(Path.Combine(src, "deep/l1/l2/l3/l4/l5/l6/l7/l8/l9/bottom.txt"), "bottom, changed\n");
        File.WriteAllBytes(Path.Combine(src, "added_in_3.bin"), new byte[3 << 20]);
        AppendResult third = Append(image, src);
        CheckNewest(dir, image, src, sessions: 3, absent: ["added_in_2.txt", "empty_dir"]);

        using var stream = File.OpenRead(image);
        SessionTable table = SessionTable.Read(stream);
        Assert.AreEqual(SessionLayout.Grown, table.Layout);
        CollectionAssert.AreEqual(new[] { 32u, second.Session.StartLba, third.Session.StartLba }, table.Sessions.Select(s => s.StartLba).ToArray());
        Dictionary<string, uint>[] lbas = [.. table.Sessions.Select(s => FileLbas(table.Open(stream, s.Number)))];

        // Untouched files share their extent across all three sessions; changed ones got new data.
        foreach (string kept in new[] { "secret_0600.conf", DiskTree.LongName, "バックアップ.sql" })
        {
            Assert.AreEqual(lbas[0][kept], lbas[1][kept], kept);
            Assert.AreEqual(lbas[0][kept], lbas[2][kept], kept);
            Assert.IsLessThan(second.Session.StartLba, lbas[2][kept], kept);
        }

        Assert.AreNotEqual(lbas[0]["README.txt"], lbas[1]["README.txt"]);
        Assert.AreNotEqual(lbas[0]["random.bin"], lbas[1]["random.bin"], "same size and mtime, new ctime: the data must be written again");
        Assert.AreEqual(lbas[1]["random.bin"], lbas[2]["random.bin"]);
        Assert.IsGreaterThanOrEqualTo(third.Session.StartLba, lbas[2]["deep/l1/l2/l3/l4/l5/l6/l7/l8/l9/bottom.txt"]);
        // Its record needs a continuation area, which libarchive accepts only before the data.
        string needsCe = new string('n', 200) + ".txt";
        Assert.IsGreaterThanOrEqualTo(third.Session.StartLba, lbas[2][needsCe]);
        Assert.IsGreaterThanOrEqualTo(2, second.FilesReused);

        // isoinfo agrees on the shared extent: it prints [ LBA flags ] for each record.
        string listing = Tool.Ok(Isoinfo, "-R", "-l", "-i", image);
        StringAssert.Matches(listing, new Regex($@"\[\s+{lbas[0]["secret_0600.conf"]} 00\]\s+secret_0600\.conf"));

        // The first session is still there, byte for byte, for our reader and for xorriso.
        string ours = Path.Combine(dir.Path, "session1_ours");
        IsoExtractor.Extract(table.Open(stream, 1), ours, Environment.IsPrivilegedProcess);
        CollectionAssert.AreEqual(first, DiskTree.Manifest(ours));
        string theirs = Path.Combine(dir.Path, "session1_xorriso");
        Tool.Ok(Xorriso, "-load", "session", "1", "-indev", image, "-osirrox", "on", "-extract", "/", theirs);
        CollectionAssert.AreEqual(Contents(first), Contents(DiskTree.Manifest(theirs)));
    }

    private static AppendResult Append(string image, string src) =>
        SessionAppender.Append(image, src, new AppendOptions { VolumeId = "UPSAGENT_MS" });

    private static void CheckNewest(TempDirectory dir, string image, string src, int sessions, string[] absent)
    {
        List<string> manifest = DiskTree.Manifest(src);
        string[] paths = [.. manifest.Select(l => l.Split('|')[0])];

        string rr = Tool.Ok(Isoinfo, "-R", "-l", "-i", image);
        string joliet = Tool.Ok(Isoinfo, "-J", "-l", "-i", image);
        string lsdl = Tool.Ok(Xorriso, "-indev", image, "-find", "/", "-exec", "lsdl");
        foreach (string path in paths)
        {
            StringAssert.Contains(rr, " " + Path.GetFileName(path), path);
            StringAssert.Contains(lsdl, $"'/{path}'", path);
        }

        StringAssert.Contains(joliet, " README.txt");
        foreach (string gone in absent)
        {
            Assert.DoesNotContain(" " + gone, rr, gone);
            Assert.DoesNotContain(" " + gone, joliet, gone);
            Assert.DoesNotContain("/" + gone + "'", lsdl, gone);
        }

        string compare = Tool.Ok(Xorriso, "-indev", image, "-compare_r", src, "/");
        StringAssert.Contains(compare, "Both file objects match as far as expectable.");
        Assert.DoesNotContain("Differences detected", compare);

        string toc = Tool.Ok(Xorriso, "-indev", image, "-toc");
        for (int n = 1; n <= sessions; n++)
        {
            StringAssert.Matches(toc, new Regex($@"ISO session\s+:\s+{n} ,"), toc);
        }

        StringAssert.DoesNotMatch(toc, new Regex($@"ISO session\s+:\s+{sessions + 1} ,"));

        // The newest session's structures as isovfy walks them, and every block of every session readable.
        StringAssert.Contains(Tool.Ok(Isovfy, "-i", image), "No errors found");
        string check = Tool.Ok(Xorriso, "-indev", image, "-check_media", "--");
        StringAssert.Contains(check, "Media checks :        lba ,       size , quality");
        Assert.DoesNotContain("unreadable", check);

        string list = Tool.Ok(Bsdtar, "-tvf", image);
        Assert.HasCount(paths.Length, list.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.EndsWith(" .", StringComparison.Ordinal) && l != "."));
        string output = Path.Combine(dir.Path, $"bsdtar{sessions}");
        Directory.CreateDirectory(output);
        Tool.Ok(Bsdtar, "-xpf", image, "-C", output);
        CollectionAssert.AreEqual(manifest, DiskTree.Manifest(output));

        // 7-Zip reads the Joliet tree: regular files and directories, no symlinks or device nodes.
        int files = manifest.Count(l => l.Split('|')[1] == "f");
        int folders = manifest.Count(l => l.Split('|')[1] == "d");
        string sevenList = Tool.Ok(SevenZip, "l", image);
        StringAssert.Contains(sevenList, $"{files} files, {folders} folders");
        StringAssert.Contains(Tool.Ok(SevenZip, "t", image), "Everything is Ok");
    }

    private static Dictionary<string, uint> FileLbas(IsoImage image) =>
        image.Walk().Where(p => p.Entry.Kind == SourceKind.File && p.Entry.SizeBytes > 0).ToDictionary(p => p.Path, p => p.Entry.Extents[0].Lba);

    /// <summary>Path and SHA-256 of every regular file: what xorriso's extractor must reproduce (it does not restore symlink times).</summary>
    private static List<string> Contents(List<string> manifest) =>
        [.. manifest.Where(l => l.Split('|')[1] == "f").Select(l => l.Split('|')[0] + "|" + l.Split('|')[^1])];
}
