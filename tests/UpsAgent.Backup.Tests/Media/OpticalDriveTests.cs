using UpsAgent.Backup.Iso9660;
using UpsAgent.Backup.Media;
using UpsAgent.Backup.Tests.Iso9660;
using UpsAgent.Core.Processes;
using UpsAgent.TestKit.Processes;

namespace UpsAgent.Backup.Tests.Media;

// Canned -toc answers: the stdio ones are verbatim xorriso 1.5.4 output for a file standing in for a drive;
// the CD-R ones follow the same layout with the numbers of a two-session disc (second session after the
// 11,400-block gap of specs/iso.md §3.6).
[TestClass]
public sealed class OpticalDriveTests
{
    private const string BlankToc = """
        xorriso 1.5.4 : RockRidge filesystem manipulator, libburnia project.

        Drive current: -outdev '/tmp/blank.img'
        Drive access : exclusive:unrestricted
        Drive type   : vendor 'YOYODYNE' product 'WARP DRIVE' revision 'FX01'
        Media current: stdio file, overwriteable
        Media status : is blank
        Media blocks : 0 readable , 40552480 writable , 40552480 overall
        Media summary: 0 sessions, 0 data blocks, 0 data, 77.3g free
        """;

    private const string WrittenToc = """
        Drive current: -outdev '/tmp/x1.iso'
        Media current: stdio file, overwriteable
        Media status : is written , is appendable
        Media blocks : 184 readable , 40552284 writable , 40552476 overall
        TOC layout   : Idx ,  sbsector ,       Size , Volume Id
        ISO session  :   1 ,         0 ,       184s , TESTV
        Media summary: 1 session, 184 data blocks,  368k data, 77.3g free
        Media nwa    : 192s
        """;

    private const string AppendableCdrToc = """
        Drive current: -outdev '/dev/sr0'
        Media current: CD-R
        Media status : is written , is appendable
        Media blocks : 11900 readable , 335000 writable , 359849 overall
        TOC layout   : Idx ,  sbsector ,       Size , Volume Id
        ISO session  :   1 ,         0 ,       300s , UPSAGENT_A
        ISO session  :   2 ,     11700 ,       200s , UPSAGENT_A
        Media summary: 2 sessions, 500 data blocks, 1000k data,  654m free
        Media nwa    : 18800s
        """;

    private const string ClosedCdrToc = """
        Drive current: -outdev '/dev/sr0'
        Media current: CD-R
        Media status : is written , is closed
        Media blocks : 300 readable , 0 writable , 359849 overall
        TOC layout   : Idx ,  sbsector ,       Size , Volume Id
        ISO session  :   1 ,         0 ,       300s , UPSAGENT_A
        Media summary: 1 session, 300 data blocks,  600k data, 0 free
        """;

    private static (OpticalDrive Drive, FakeProcessRunner Runner) Drive(string toc, int exitCode = 0)
    {
        var runner = new FakeProcessRunner
        {
            Behaviour = (spec, _, _) => Task.FromResult(new ProcessResult(spec.Arguments.Contains("-toc") ? 0 : exitCode, false, spec.Arguments.Contains("-toc") ? toc : "xorriso : FAILURE : Burn run failed\n", TimeSpan.Zero)),
        };
        return (new OpticalDrive("/dev/sr0", runner), runner);
    }

    [TestMethod]
    public void The_toc_gives_type_state_blocks_sessions_and_next_address()
    {
        XorrisoToc toc = XorrisoToc.Parse(AppendableCdrToc, "/dev/sr0");
        Assert.AreEqual("CD-R", toc.MediaType);
        Assert.AreEqual(MediumState.Appendable, toc.State);
        Assert.AreEqual(335000, toc.WritableBlocks);
        Assert.AreEqual(18800, toc.NextWritableLba);
        Assert.AreEqual(new MediumSession(2, 11700, 200, "UPSAGENT_A"), toc.Sessions[1]);
        Assert.IsFalse(toc.Overwritable);
        Assert.IsFalse(toc.Rewritable);
        Assert.IsTrue(XorrisoToc.Parse(BlankToc, "x").Overwritable);
        StringAssert.Contains(Assert.ThrowsExactly<MediumException>(() => XorrisoToc.Parse("xorriso : FAILURE : Cannot acquire drive '/dev/sr0'\n", "/dev/sr0")).Message, "Cannot acquire drive");
    }

    [TestMethod]
    public void Status_asks_xorriso_for_the_toc_of_the_drive()
    {
        (OpticalDrive drive, FakeProcessRunner runner) = Drive(WrittenToc);
        MediumStatus status = drive.Status();
        Assert.AreEqual(MediumState.Appendable, status.State);
        Assert.AreEqual("TESTV", status.VolumeId);
        Assert.AreEqual(184, status.UsedBlocks);
        Assert.AreEqual(40552284, status.FreeBlocks);
        ProcessSpec spec = runner.Started.Single();
        Assert.AreEqual("/usr/bin/xorriso", spec.FileName);
        CollectionAssert.AreEqual(new[] { "-outdev", "/dev/sr0", "-toc" }, spec.Arguments.ToArray());
        Assert.AreEqual("C", spec.Environment["LC_ALL"]);
    }

    [TestMethod]
    public void Msinfo_is_empty_when_blank_zero_comma_nwa_on_overwritable_and_last_start_comma_nwa_on_sequential_media()
    {
        Assert.IsNull(Drive(BlankToc).Drive.MultiSessionInfo());
        Assert.AreEqual("0,192", Drive(WrittenToc).Drive.MultiSessionInfo()!.ToString());
        Assert.AreEqual("11700,18800", Drive(AppendableCdrToc).Drive.MultiSessionInfo()!.ToString());
        StringAssert.Contains(Assert.ThrowsExactly<MediumException>(() => Drive(ClosedCdrToc).Drive.MultiSessionInfo()).Message, "closed");
    }

    [TestMethod]
    public void Blank_runs_fast_or_all_and_refuses_written_write_once_media()
    {
        (OpticalDrive drive, FakeProcessRunner runner) = Drive(WrittenToc);
        drive.Blank(BlankMode.Fast);
        drive.Blank(BlankMode.Full);
        var blanks = runner.Started.Where(s => s.Arguments.Contains("-blank")).Select(s => string.Join(' ', s.Arguments)).ToList();
        CollectionAssert.AreEqual(new[] { "-outdev /dev/sr0 -blank fast", "-outdev /dev/sr0 -blank all" }, blanks);

        (OpticalDrive cdr, FakeProcessRunner cdrRunner) = Drive(ClosedCdrToc);
        StringAssert.Contains(Assert.ThrowsExactly<MediumException>(() => cdr.Blank(BlankMode.Fast)).Message, "write-once");
        Assert.IsFalse(cdrRunner.Started.Any(s => s.Arguments.Contains("-blank")));
    }

    [TestMethod]
    public void A_failing_or_missing_xorriso_is_reported_with_its_words()
    {
        (OpticalDrive drive, _) = Drive(WrittenToc, exitCode: 5);
        var e = Assert.ThrowsExactly<MediumException>(() => drive.Blank(BlankMode.Fast));
        StringAssert.Contains(e.Message, "exit code 5");
        StringAssert.Contains(e.Message, "Burn run failed");
        var missing = new OpticalDrive("/dev/sr0", new FakeProcessRunner { Behaviour = (_, _, _) => Task.FromResult(new ProcessResult(127, false, "", TimeSpan.Zero)) });
        StringAssert.Contains(Assert.ThrowsExactly<MediumException>(missing.Status).Message, "Debian package xorriso");
        var slow = new OpticalDrive("/dev/sr0", new FakeProcessRunner { Behaviour = (_, _, _) => Task.FromResult(new ProcessResult(-1, true, "", TimeSpan.Zero)) });
        StringAssert.Contains(Assert.ThrowsExactly<MediumException>(slow.Status).Message, "did not finish");
    }

    [TestMethod]
    public void Writing_burns_a_built_image_with_multi_and_removes_it_afterwards()
    {
        (OpticalDrive drive, FakeProcessRunner runner) = Drive(BlankToc);
        string? burned = null;
        runner.Behaviour = (spec, _, _) =>
        {
            if (spec.Arguments.Contains("-multi"))
            {
                burned = spec.Arguments[^1];
                Assert.IsTrue(File.Exists(burned));
                using FileStream image = File.OpenRead(burned);
                Assert.AreEqual("UPSAGENT_A", IsoImage.Open(image).VolumeId);
            }

            return Task.FromResult(new ProcessResult(0, false, BlankToc, TimeSpan.Zero));
        };
        WrittenSession written = drive.WriteSession(MemoryTree.Sample(), new IsoOptions("UPSAGENT_A", MemoryTree.Time), n => new MemoryStream(MemoryTree.Content(n)));
        CollectionAssert.AreEqual(new[] { "-as", "cdrecord", "-v", "dev=/dev/sr0", "-multi" }, runner.Started.Last().Arguments.Take(5).ToArray());
        Assert.IsNotNull(burned);
        Assert.IsFalse(File.Exists(burned));
        Assert.AreEqual("/dev/sr0", written.ReadPath);
    }

    [TestMethod]
    public void Writing_refuses_a_written_medium_and_a_session_that_does_not_fit()
    {
        (OpticalDrive written, FakeProcessRunner runner) = Drive(WrittenToc);
        StringAssert.Contains(Assert.ThrowsExactly<MediumException>(() => written.WriteSession(MemoryTree.Sample(), new IsoOptions("A", 1), _ => Stream.Null)).Message, "blank it first");
        string fullToc = BlankToc.Replace("40552480 writable", "40 writable", StringComparison.Ordinal);
        (OpticalDrive small, FakeProcessRunner smallRunner) = Drive(fullToc);
        StringAssert.Contains(Assert.ThrowsExactly<MediumException>(() => small.WriteSession(MemoryTree.Sample(), new IsoOptions("A", 1), n => new MemoryStream(MemoryTree.Content(n)))).Message, "medium full");
        Assert.IsFalse(smallRunner.Started.Any(s => s.Arguments.Contains("-multi")));
    }
}
