using UpsAgent.Backup.Iso9660;
using UpsAgent.Backup.Media;
using UpsAgent.Backup.Tests.Iso9660;
using UpsAgent.Backup.Verify;

namespace UpsAgent.Backup.Tests.Media;

[TestClass]
public sealed class DirectoryTargetTests
{
    private static readonly Func<SourceNode, Stream> Content = n => new MemoryStream(MemoryTree.Content(n));

    [TestMethod]
    public void Each_backup_becomes_an_image_file_named_by_label_and_time()
    {
        using var dir = new TempDirectory();
        var target = new DirectoryTarget(dir.Path);
        Assert.AreEqual(MediumState.Blank, target.Status().State);
        WrittenSession first = target.WriteSession(MemoryTree.Sample(), new IsoOptions("UPSAGENT_USB", MemoryTree.Time), Content);
        WrittenSession second = target.WriteSession(MemoryTree.Sample(), new IsoOptions("UPSAGENT_USB", MemoryTree.Time + 86400), Content);
        Assert.AreEqual(Path.Combine(dir.Path, "UPSAGENT_USB-20240229-133742.iso"), first.ReadPath);
        Assert.AreEqual(Path.Combine(dir.Path, "UPSAGENT_USB-20240301-133742.iso"), second.ReadPath);
        MediumStatus status = target.Status();
        Assert.AreEqual(MediumState.Appendable, status.State);
        Assert.HasCount(2, status.Sessions);
        Assert.AreEqual("UPSAGENT_USB", status.VolumeId);
        Assert.IsGreaterThan(0, status.FreeBlocks);
        using var stream = File.OpenRead(second.ReadPath);
        Assert.IsTrue(IsoVerifier.Verify(stream, null).Good);
        Assert.IsFalse(File.Exists(second.ReadPath + ".partial"));
    }

    [TestMethod]
    public void Blanking_removes_only_its_own_images()
    {
        using var dir = new TempDirectory();
        var target = new DirectoryTarget(dir.Path);
        target.WriteSession(MemoryTree.Sample(), new IsoOptions("UPSAGENT_USB", MemoryTree.Time), Content);
        File.WriteAllText(Path.Combine(dir.Path, "holiday.iso"), "not ours");
        File.WriteAllText(Path.Combine(dir.Path, "notes.txt"), "keep");
        target.Blank(BlankMode.Full);
        Assert.AreEqual(MediumState.Blank, target.Status().State);
        CollectionAssert.AreEquivalent(new[] { "holiday.iso", "notes.txt" }, Directory.GetFiles(dir.Path).Select(Path.GetFileName).ToArray());
    }

    [TestMethod]
    public void Msinfo_a_second_image_of_the_same_second_and_a_missing_mount_are_refused_clearly()
    {
        using var dir = new TempDirectory();
        var target = new DirectoryTarget(dir.Path);
        StringAssert.Contains(Assert.ThrowsExactly<MediumException>(target.MultiSessionInfo).Message, "one image file per backup");
        target.WriteSession(MemoryTree.Sample(), new IsoOptions("UPSAGENT_USB", MemoryTree.Time), Content);
        StringAssert.Contains(Assert.ThrowsExactly<MediumException>(() => target.WriteSession(MemoryTree.Sample(), new IsoOptions("UPSAGENT_USB", MemoryTree.Time), Content)).Message, "exists already");
        StringAssert.Contains(Assert.ThrowsExactly<MediumException>(() => new DirectoryTarget(Path.Combine(dir.Path, "gone")).Status()).Message, "mounted");
    }
}
