namespace UpsAgent.Tests.Cli;

// The media and iso verify commands as a user types them, against the real executable.
[TestClass]
public sealed class MediaCliTests
{
    [TestMethod]
    public void A_virtual_disc_is_created_blank_written_verified_and_blanked_and_msinfo_answers_each_state()
    {
        string dir = TempDir();
        string disc = Path.Combine(dir, "a.iso");
        string state = Path.Combine(dir, "state");
        string src = Source(dir);

        var (code, stdout, stderr) = AgentProcess.Run(null, "media", "blank", "--type", "cd700", disc);
        Assert.AreEqual(0, code, stderr);
        StringAssert.Contains(stdout, "blank CD 700 MB (80 min) virtual disc created");
        (code, stdout, stderr) = AgentProcess.Run(null, "media", "msinfo", disc);
        Assert.AreEqual(0, code, stderr);
        Assert.AreEqual("", stdout);
        StringAssert.Contains(stderr, "blank medium, no previous session");

        (code, stdout, stderr) = AgentProcess.Run(null, "media", "write", "-V", "UPSAGENT_A", "--state-dir", state, disc, src);
        Assert.AreEqual(0, code, stdout + stderr);
        StringAssert.Contains(stdout, "UPSAGENT_A");
        StringAssert.Contains(stdout, ": good: UPSAGENT_A");
        StringAssert.Contains(stdout, "against the catalog's manifest");

        (code, stdout, _) = AgentProcess.Run(null, "media", "status", disc);
        Assert.AreEqual(0, code);
        StringAssert.Contains(stdout, "state:    appendable");
        StringAssert.Contains(stdout, "label:    UPSAGENT_A");
        StringAssert.Contains(stdout, "session 1: start 0,");
        (code, stdout, _) = AgentProcess.Run(null, "media", "msinfo", disc);
        Assert.AreEqual(0, code);
        StringAssert.Matches(stdout, new System.Text.RegularExpressions.Regex(@"^0,\d*[02468]\n$"));

        (code, stdout, stderr) = AgentProcess.Run(null, "iso", "verify", "--state-dir", state, disc);
        Assert.AreEqual(0, code, stdout + stderr);
        StringAssert.Contains(File.ReadAllText(Path.Combine(state, "catalog", "sessions")), " good ");

        (code, _, stderr) = AgentProcess.Run(null, "media", "write", "--state-dir", state, disc, src);
        Assert.AreEqual(1, code);
        StringAssert.Contains(stderr, "blank it first");

        (code, stdout, _) = AgentProcess.Run(null, "media", "blank", "--full", disc);
        Assert.AreEqual(0, code);
        StringAssert.Contains(stdout, "blanked (full)");
        Assert.AreEqual(0, new FileInfo(disc).Length);
    }

    [TestMethod]
    public void Iso_verify_prints_each_changed_file_and_exits_1()
    {
        string dir = TempDir();
        string image = Path.Combine(dir, "b.iso");
        string state = Path.Combine(dir, "state");
        string src = Source(dir);
        var (code, _, stderr) = AgentProcess.Run(null, "iso", "build", "--manifest", "--state-dir", state, "-V", "UPSAGENT_B", "-o", image, src);
        Assert.AreEqual(0, code, stderr);
        byte[] bytes = File.ReadAllBytes(image);
        int at = bytes.AsSpan().IndexOf("second file"u8);
        Assert.IsGreaterThan(0, at);
        bytes[at] ^= 0x01;
        File.WriteAllBytes(image, bytes);

        (code, string stdout, stderr) = AgentProcess.Run(null, "iso", "verify", "--state-dir", state, image);
        Assert.AreEqual(1, code, stderr);
        StringAssert.Contains(stdout, "CHANGED sub/two.txt: content hashes to");
        StringAssert.Contains(stdout, "BAD (1 problem(s))");
        StringAssert.Contains(File.ReadAllText(Path.Combine(state, "catalog", "sessions")), " bad ");
    }

    [TestMethod]
    public void Rotate_alternates_two_discs_and_a_dry_run_writes_nothing()
    {
        string dir = TempDir();
        string state = Path.Combine(dir, "state");
        string src = Source(dir);
        string a = Path.Combine(dir, "a.iso");
        string b = Path.Combine(dir, "b.iso");
        Assert.AreEqual(0, AgentProcess.Run(null, "media", "blank", "--type", "dvd", a).Code);
        Assert.AreEqual(0, AgentProcess.Run(null, "media", "blank", "--type", "dvd", b).Code);
        string[] set = ["media", "rotate", "--state-dir", state, "--medium", $"UPSAGENT_A={a}", "--medium", $"UPSAGENT_B={b}"];

        var (code, stdout, stderr) = AgentProcess.Run(null, [.. set, "--dry-run", src]);
        Assert.AreEqual(0, code, stderr);
        StringAssert.StartsWith(stdout, "would write UPSAGENT_A: UPSAGENT_A is blank");
        Assert.AreEqual(0, new FileInfo(a).Length);

        (code, stdout, stderr) = AgentProcess.Run(null, [.. set, src]);
        Assert.AreEqual(0, code, stdout + stderr);
        StringAssert.Contains(stdout, "UPSAGENT_A: ");
        StringAssert.Contains(stdout, "verified good");
        (code, stdout, stderr) = AgentProcess.Run(null, [.. set, src]);
        Assert.AreEqual(0, code, stdout + stderr);
        StringAssert.StartsWith(stdout, "write UPSAGENT_B");

        (code, _, stderr) = AgentProcess.Run(null, "media", "rotate", "--state-dir", state, "--medium", $"UPSAGENT_B={b}", src);
        Assert.AreEqual(1, code);
        StringAssert.Contains(stderr, "refused: no medium may be used: UPSAGENT_B holds the newest good backup");
    }

    [TestMethod]
    public void Bad_command_lines_and_targets_get_clear_errors()
    {
        string dir = TempDir();
        var (code, _, stderr) = AgentProcess.Run(null, "media", "status", Path.Combine(dir, "nothing.iso"));
        Assert.AreEqual(1, code);
        StringAssert.Contains(stderr, "not a virtual disc");
        (code, _, stderr) = AgentProcess.Run(null, "media", "blank", "--type", "floppy", Path.Combine(dir, "x.iso"));
        Assert.AreEqual(2, code);
        StringAssert.Contains(stderr, "unknown type 'floppy'");
        (code, _, stderr) = AgentProcess.Run(null, "media", "rotate", "--medium", "lower=x", dir);
        Assert.AreEqual(2, code);
        StringAssert.Contains(stderr, "label 'lower'");
        (code, _, stderr) = AgentProcess.Run(null, "media", "msinfo", dir);
        Assert.AreEqual(1, code);
        StringAssert.Contains(stderr, "one image file per backup");
        (code, _, _) = AgentProcess.Run(null, "media", "frobnicate", dir);
        Assert.AreEqual(2, code);
    }

    private static string Source(string dir)
    {
        string src = Path.Combine(dir, "src");
        Directory.CreateDirectory(Path.Combine(src, "sub"));
        File.WriteAllText(Path.Combine(src, "one.txt"), "first file\n");
        File.WriteAllText(Path.Combine(src, "sub", "two.txt"), "second file\n");
        return src;
    }

    private static string TempDir()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"upsagent-media-cli-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }
}
