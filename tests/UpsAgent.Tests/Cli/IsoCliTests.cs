using System.Diagnostics;
using System.Text.RegularExpressions;

namespace UpsAgent.Tests.Cli;

// 'upsagent iso append|sessions|ls|extract' as a user runs them, and appends killed part-way.
[TestClass]
public sealed class IsoCliTests
{
    private const string Xorriso = "/usr/bin/xorriso";
    private const string Bsdtar = "/usr/bin/bsdtar";

    [TestMethod]
    public void Iso_append_grows_an_image_whose_sessions_can_be_listed_and_extracted_one_by_one()
    {
        using var dir = new TempDir();
        string src = dir.Sub("src");
        File.WriteAllText(Path.Combine(src, "keep.txt"), "keep\n");
        File.WriteAllText(Path.Combine(src, "old.txt"), "old\n");
        string image = Path.Combine(dir.Path, "grown.iso");

        (int code, string stdout, string stderr) = AgentProcess.Run(null, "iso", "append", image, src);
        Assert.AreEqual(0, code, stderr);
        StringAssert.Contains(stdout, "session 1 at block 32");
        File.Delete(Path.Combine(src, "old.txt"));
        File.WriteAllText(Path.Combine(src, "new.txt"), "new\n");
        (code, stdout, stderr) = AgentProcess.Run(null, "iso", "append", "-V", "NIGHTLY_2", image, src);
        Assert.AreEqual(0, code, stderr);
        StringAssert.Contains(stdout, "session 2 at block");

        (code, stdout, stderr) = AgentProcess.Run(null, "iso", "sessions", image);
        Assert.AreEqual(0, code, stderr);
        StringAssert.Matches(stdout, new Regex(@"session\s+1\s+start\s+32\s"));
        StringAssert.Matches(stdout, new Regex(@"session\s+2\s+start\s+\d+\s.*NIGHTLY_2"));
        StringAssert.Contains(stdout, "next writable block");

        (code, stdout, _) = AgentProcess.Run(null, "iso", "ls", image);
        Assert.AreEqual(0, code);
        StringAssert.Contains(stdout, " new.txt");
        Assert.DoesNotContain(" old.txt", stdout);
        (code, stdout, _) = AgentProcess.Run(null, "iso", "ls", "--session", "1", image);
        Assert.AreEqual(0, code);
        StringAssert.Contains(stdout, " old.txt");
        Assert.DoesNotContain(" new.txt", stdout);

        string out1 = Path.Combine(dir.Path, "out1");
        (code, _, stderr) = AgentProcess.Run(null, "iso", "extract", "--session", "1", image, out1);
        Assert.AreEqual(0, code, stderr);
        Assert.AreEqual("old\n", File.ReadAllText(Path.Combine(out1, "old.txt")));
        Assert.IsFalse(File.Exists(Path.Combine(out1, "new.txt")));

        (code, _, stderr) = AgentProcess.Run(null, "iso", "ls", "--session", "3", image);
        Assert.AreEqual(1, code);
        StringAssert.Contains(stderr, "there is no session 3: the image holds sessions 1 to 2");
        (code, _, stderr) = AgentProcess.Run(null, "iso", "ls", "--session", "first", image);
        Assert.AreEqual(2, code);
        StringAssert.Contains(stderr, "--session 'first'");
    }

    [TestMethod]
    public void Iso_append_refuses_a_full_medium_and_a_single_session_image_without_touching_them()
    {
        using var dir = new TempDir();
        string src = dir.Sub("src");
        File.WriteAllBytes(Path.Combine(src, "data.bin"), new byte[300_000].Select((_, i) => (byte)(i % 251 + 1)).ToArray());
        string image = Path.Combine(dir.Path, "small.iso");
        (int code, string stdout, string stderr) = AgentProcess.Run(null, "iso", "append", "--capacity", "200K", image, src);
        Assert.AreEqual(1, code, stdout);
        StringAssert.Contains(stderr, "medium full");
        Assert.IsFalse(File.Exists(image), "a refused first append leaves no file behind");

        string built = Path.Combine(dir.Path, "built.iso");
        Assert.AreEqual(0, AgentProcess.Run(null, "iso", "build", "-o", built, src).Code);
        byte[] before = File.ReadAllBytes(built);
        (code, _, stderr) = AgentProcess.Run(null, "iso", "append", built, src);
        Assert.AreEqual(1, code);
        StringAssert.Contains(stderr, "single session at block 0");
        CollectionAssert.AreEqual(before, File.ReadAllBytes(built));
    }

    [TestMethod]
    public void Killing_iso_append_at_random_points_keeps_every_committed_session_readable_by_xorriso_and_bsdtar()
    {
        if (!File.Exists(Xorriso) || !File.Exists(Bsdtar))
        {
            Assert.Inconclusive("xorriso and bsdtar (Debian packages xorriso, libarchive-tools) are needed");
        }

        using var dir = new TempDir();
        string src = dir.Sub("src");
        string image = Path.Combine(dir.Path, "grown.iso");
        var random = new Random(2026);
        WriteRound(src, 0, random);
        Assert.AreEqual(0, AgentProcess.Run(null, "iso", "append", image, src).Code);
        int committed = 1;

        // Bounded: five kills, each after a random delay that spans start-up, the data and the commit.
        for (int round = 1; round <= 5; round++)
        {
            WriteRound(src, round, random);
            using (AgentProcess.Start("iso", "append", image, src))
            {
                Thread.Sleep(random.Next(300, 1600));
            }

            int sessions = SessionCount(image);
            Assert.IsTrue(sessions == committed || sessions == committed + 1, $"round {round}: {sessions} sessions after {committed} committed");
            bool landed = sessions > committed;
            committed = sessions;
            for (int n = 1; n <= committed; n++)
            {
                string lsdl = Ok(Xorriso, "-load", "session", n.ToString(System.Globalization.CultureInfo.InvariantCulture), "-indev", image, "-find", "/", "-exec", "lsdl");
                StringAssert.Contains(lsdl, "'/stable.bin'", $"round {round}, session {n}");
            }

            string list = Ok(Bsdtar, "-tvf", image);
            Assert.AreEqual(landed, list.Contains($"round_{round}.txt", StringComparison.Ordinal), $"round {round}: bsdtar must see the newest committed session\n{list}");
            Assert.Contains("stable.bin", list);
        }

        (int code, _, string stderr) = AgentProcess.Run(null, "iso", "append", image, src);
        Assert.AreEqual(0, code, stderr);
        Assert.AreEqual(committed + 1, SessionCount(image));
        string compare = Ok(Xorriso, "-indev", image, "-compare_r", src, "/");
        StringAssert.Contains(compare, "Both file objects match as far as expectable.");
        Assert.DoesNotContain("Differences detected", compare);
        Ok(Bsdtar, "-xpf", image, "-C", dir.Sub("bsdtar"));
        foreach (string file in Directory.EnumerateFiles(src))
        {
            CollectionAssert.AreEqual(File.ReadAllBytes(file), File.ReadAllBytes(Path.Combine(dir.Path, "bsdtar", Path.GetFileName(file))), file);
        }
    }

    /// <summary>A new 48 MiB of changing data per round beside an unchanged file, so every append has real work.</summary>
    private static void WriteRound(string src, int round, Random random)
    {
        string stable = Path.Combine(src, "stable.bin");
        if (!File.Exists(stable))
        {
            File.WriteAllText(stable, "the same in every session\n");
        }

        byte[] data = new byte[48 << 20];
        random.NextBytes(data);
        File.WriteAllBytes(Path.Combine(src, "changing.bin"), data);
        File.WriteAllText(Path.Combine(src, $"round_{round}.txt"), $"{round}\n");
    }

    private static int SessionCount(string image)
    {
        (int code, string stdout, string stderr) = AgentProcess.Run(null, "iso", "sessions", image);
        Assert.AreEqual(0, code, stderr);
        if (stdout.Contains("blank", StringComparison.Ordinal))
        {
            return 0;
        }

        string toc = Ok(Xorriso, "-indev", image, "-toc");
        int sessions = Regex.Matches(stdout, @"^session\s+\d+", RegexOptions.Multiline).Count;
        Assert.AreEqual(sessions, Regex.Matches(toc, @"ISO session\s+:").Count, $"xorriso -toc disagrees with iso sessions:\n{toc}\n{stdout}");
        return sessions;
    }

    private static string Ok(string tool, params string[] args)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.Environment["LC_ALL"] = "C.UTF-8";
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }

        using Process p = Process.Start(start)!;
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(60_000))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"{tool} {string.Join(' ', args)} did not finish in 60 s");
        }

        string output = stdout.Result + stderr.Result;
        Assert.AreEqual(0, p.ExitCode, $"{tool} {string.Join(' ', args)} failed:\n{output}");
        return output;
    }

    private sealed class TempDir : IDisposable
    {
        public TempDir() => Directory.CreateDirectory(Path);

        public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"upsagent-isocli-{Guid.NewGuid():N}");

        public string Sub(string name)
        {
            string sub = System.IO.Path.Combine(Path, name);
            Directory.CreateDirectory(sub);
            return sub;
        }

        public void Dispose()
        {
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: a leftover temp directory is harmless.
            }
        }
    }
}
