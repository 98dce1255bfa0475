using UpsAgent.Backup.Iso9660;
using UpsAgent.Backup.Sessions;
using static UpsAgent.Backup.Tests.Iso9660.MemoryTree;

namespace UpsAgent.Backup.Tests.Sessions;

[TestClass]
public sealed class SessionAppenderTests
{
    private static readonly AppendOptions Options = new()
    {
        SnapshotTime = Time + 3600,
        OpenSource = n => new MemoryStream(Content(n)),
    };

    [TestMethod]
    public void A_blank_image_answers_msinfo_and_takes_its_first_session_at_block_32()
    {
        using var image = new MemoryStream();
        SessionTable blank = SessionTable.Read(image);
        Assert.IsTrue(blank.IsBlank);
        Assert.IsEmpty(blank.Sessions);
        Assert.AreEqual(new MsInfo(0, 32), blank.MsInfo);
        Assert.AreEqual("0,32", blank.MsInfo.ToString());

        AppendResult first = SessionAppender.Append(image, Dir("", File("a.txt", 10)), Options);
        Assert.AreEqual(32u, first.Session.StartLba);
        SessionTable table = SessionTable.Read(image);
        Assert.AreEqual(SessionLayout.Grown, table.Layout);
        Assert.HasCount(1, table.Sessions);
        Assert.AreEqual(first.Session.EndLba, table.EndLba);
        Assert.AreEqual(new MsInfo(32, SessionTable.RoundUp(first.Session.EndLba)), table.MsInfo);
    }

    [TestMethod]
    public void A_new_session_holds_only_the_current_tree_and_keeps_unchanged_extents()
    {
        using var image = new MemoryStream();
        SourceNode keep = File("keep.bin", 100_000);
        SessionAppender.Append(image, Dir("", keep, File("gone.txt", 5), Dir("d", File("x.txt", 3))), Options);
        uint keptLba = Lba(IsoImage.Open(image), "keep.bin");

        SourceNode changed = new() { Name = "x.txt", Kind = SourceKind.File, SizeBytes = 4, Permissions = 0x1A4, ModifyTime = Time + 60, ChangeTime = Time + 60 };
        AppendResult second = SessionAppender.Append(image, Dir("", File("keep.bin", 100_000), Dir("d", changed), File("new.txt", 7)), Options with { SnapshotTime = Time + 7200 });

        Assert.AreEqual(1, second.FilesReused);
        Assert.AreEqual(2, second.FilesWritten);
        IsoImage newest = IsoImage.Open(image);
        CollectionAssert.AreEquivalent(new[] { "keep.bin", "d", "d/x.txt", "new.txt" }, newest.Walk().Select(p => p.Path).ToArray());
        Assert.AreEqual(keptLba, Lba(newest, "keep.bin"));
        Assert.IsGreaterThan(second.Session.StartLba, Lba(newest, "d/x.txt"));

        SessionTable table = SessionTable.Read(image);
        Assert.HasCount(2, table.Sessions);
        IsoImage first = table.Open(image, 1);
        CollectionAssert.AreEquivalent(new[] { "keep.bin", "gone.txt", "d", "d/x.txt" }, first.Walk().Select(p => p.Path).ToArray());
        var bytes = new MemoryStream();
        first.CopyFile(first.Walk().Single(p => p.Path == "d/x.txt").Entry, bytes);
        Assert.AreEqual(3, bytes.Length);
    }

    private static uint Lba(IsoImage image, string path) => image.Walk().Single(p => p.Path == path).Entry.Extents[0].Lba;
}
