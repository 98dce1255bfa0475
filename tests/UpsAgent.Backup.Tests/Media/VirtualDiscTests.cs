using UpsAgent.Backup.Iso9660;
using UpsAgent.Backup.Manifest;
using UpsAgent.Backup.Media;
using UpsAgent.Backup.Tests.Iso9660;
using UpsAgent.Backup.Verify;

namespace UpsAgent.Backup.Tests.Media;

[TestClass]
public sealed class VirtualDiscTests
{
    private static readonly Func<SourceNode, Stream> Content = n => new MemoryStream(MemoryTree.Content(n));

    [TestMethod]
    public void Profiles_have_the_capacities_of_real_discs()
    {
        Assert.AreEqual(681_984_000, MediumProfile.Cd650.CapacityBytes);
        Assert.AreEqual(737_280_000, MediumProfile.Cd700.CapacityBytes);
        Assert.AreEqual(4_700_372_992, MediumProfile.Dvd.CapacityBytes);
        Assert.AreEqual(25_025_314_816, MediumProfile.Bd25.CapacityBytes);
        Assert.AreSame(MediumProfile.Bd25, MediumProfile.Find("BD25"));
        Assert.IsNull(MediumProfile.Find("floppy"));
    }

    [TestMethod]
    public void A_new_disc_is_blank_and_has_no_msinfo()
    {
        using var dir = new TempDirectory();
        VirtualDisc disc = VirtualDisc.Create(Path.Combine(dir.Path, "a.iso"), MediumProfile.Cd700);
        MediumStatus status = disc.Status();
        Assert.AreEqual(MediumState.Blank, status.State);
        Assert.AreEqual(360_000, status.CapacityBlocks);
        Assert.AreEqual(360_000, status.FreeBlocks);
        Assert.AreEqual("", status.VolumeId);
        Assert.IsEmpty(status.Sessions);
        Assert.IsNull(disc.MultiSessionInfo());
        StringAssert.Contains(File.ReadAllText(Path.Combine(dir.Path, "a.iso.medium")), "capacity-blocks 360000");
    }

    [TestMethod]
    public void Writing_makes_it_appendable_with_one_session_its_label_and_msinfo_zero_comma_next_address()
    {
        using var dir = new TempDirectory();
        VirtualDisc disc = VirtualDisc.Create(Path.Combine(dir.Path, "a.iso"), MediumProfile.Dvd);
        WrittenSession written = disc.WriteSession(MemoryTree.Sample(), new IsoOptions("UPSAGENT_A", MemoryTree.Time), Content);
        uint blocks = written.Result.Plan.VolumeBlocks;
        MediumStatus status = VirtualDisc.Open(disc.ImagePath).Status();
        Assert.AreEqual(MediumState.Appendable, status.State);
        Assert.AreEqual("UPSAGENT_A", status.VolumeId);
        Assert.AreEqual(new MediumSession(1, 0, blocks, "UPSAGENT_A"), status.Sessions.Single());
        Assert.AreEqual(blocks, status.UsedBlocks);
        long next = (blocks + 31) / 32 * 32;
        Assert.AreEqual(MediumProfile.Dvd.CapacityBlocks - next, status.FreeBlocks);
        Assert.AreEqual($"0,{next}", disc.MultiSessionInfo()!.ToString());
        using var stream = File.OpenRead(written.ReadPath);
        Assert.IsTrue(IsoVerifier.Verify(stream, null).Good);
    }

    [TestMethod]
    public void A_written_disc_refuses_a_new_first_session_and_keeps_its_bytes()
    {
        using var dir = new TempDirectory();
        VirtualDisc disc = VirtualDisc.Create(Path.Combine(dir.Path, "a.iso"), MediumProfile.Dvd);
        disc.WriteSession(MemoryTree.Sample(), new IsoOptions("UPSAGENT_A", MemoryTree.Time), Content);
        byte[] before = File.ReadAllBytes(disc.ImagePath);
        var e = Assert.ThrowsExactly<MediumException>(() => disc.WriteSession(MemoryTree.Sample(), new IsoOptions("UPSAGENT_A", MemoryTree.Time + 1), Content));
        StringAssert.Contains(e.Message, "blank it first");
        CollectionAssert.AreEqual(before, File.ReadAllBytes(disc.ImagePath));
    }

    [TestMethod]
    public void Blanking_fast_or_full_empties_a_rewritable_disc_and_reopens_a_closed_one()
    {
        using var dir = new TempDirectory();
        foreach (BlankMode mode in new[] { BlankMode.Fast, BlankMode.Full })
        {
            VirtualDisc disc = VirtualDisc.Create(Path.Combine(dir.Path, $"{mode}.iso"), MediumProfile.Cd650);
            disc.WriteSession(MemoryTree.Sample(), new IsoOptions("UPSAGENT_A", MemoryTree.Time), Content);
            disc.Close();
            Assert.AreEqual(MediumState.Closed, disc.Status().State);
            Assert.AreEqual(0, disc.Status().FreeBlocks);
            StringAssert.Contains(Assert.ThrowsExactly<MediumException>(disc.MultiSessionInfo).Message, "closed");
            disc.Blank(mode);
            Assert.AreEqual(MediumState.Blank, disc.Status().State);
            Assert.AreEqual(0, new FileInfo(disc.ImagePath).Length);
            Assert.IsFalse(VirtualDisc.Open(disc.ImagePath).Record.Closed);
        }
    }

    [TestMethod]
    public void A_write_once_disc_cannot_be_blanked_once_written()
    {
        using var dir = new TempDirectory();
        VirtualDisc disc = VirtualDisc.Create(Path.Combine(dir.Path, "r.iso"), MediumProfile.Cd700, rewritable: false);
        disc.WriteSession(MemoryTree.Sample(), new IsoOptions("UPSAGENT_A", MemoryTree.Time), Content);
        long length = new FileInfo(disc.ImagePath).Length;
        StringAssert.Contains(Assert.ThrowsExactly<MediumException>(() => disc.Blank(BlankMode.Fast)).Message, "write-once");
        Assert.AreEqual(length, new FileInfo(disc.ImagePath).Length);
    }

    [TestMethod]
    public void A_session_bigger_than_the_free_space_is_refused_before_anything_is_written()
    {
        using var dir = new TempDirectory();
        VirtualDisc disc = VirtualDisc.Create(Path.Combine(dir.Path, "tiny.iso"), new MediumProfile("tiny", 64, "test disc of 64 blocks"));
        SourceNode root = MemoryTree.Dir("", MemoryTree.File("big.bin", 200_000));
        var e = Assert.ThrowsExactly<MediumException>(() => disc.WriteSession(root, new IsoOptions("UPSAGENT_A", MemoryTree.Time), Content));
        StringAssert.Contains(e.Message, "medium full");
        StringAssert.Contains(e.Message, "64 (tiny)");
        Assert.AreEqual(0, new FileInfo(disc.ImagePath).Length);
        Assert.AreEqual(MediumState.Blank, disc.Status().State);
    }

    [TestMethod]
    public void A_source_that_fails_midway_leaves_the_disc_blank()
    {
        using var dir = new TempDirectory();
        VirtualDisc disc = VirtualDisc.Create(Path.Combine(dir.Path, "a.iso"), MediumProfile.Cd700);
        SourceNode root = MemoryTree.Dir("", MemoryTree.File("a.bin", 100_000), MemoryTree.File("b.bin", 100_000));
        Assert.ThrowsExactly<IOException>(() => disc.WriteSession(root, new IsoOptions("UPSAGENT_A", MemoryTree.Time), n => n.Name == "b.bin" ? throw new IOException("b.bin: Permission denied") : Content(n)));
        Assert.AreEqual(MediumState.Blank, disc.Status().State);
    }

    [TestMethod]
    public void Opening_needs_the_sidecar_and_creating_never_replaces_a_disc()
    {
        using var dir = new TempDirectory();
        string plain = Path.Combine(dir.Path, "plain.iso");
        File.WriteAllBytes(plain, MemoryTree.Image(MemoryTree.Sample()));
        StringAssert.Contains(Assert.ThrowsExactly<MediumException>(() => VirtualDisc.Open(plain)).Message, "media blank --type");
        StringAssert.Contains(Assert.ThrowsExactly<MediumException>(() => VirtualDisc.Create(plain, MediumProfile.Dvd)).Message, "already");
        VirtualDisc.Create(Path.Combine(dir.Path, "a.iso"), MediumProfile.Dvd);
        Assert.ThrowsExactly<MediumException>(() => VirtualDisc.Create(Path.Combine(dir.Path, "a.iso"), MediumProfile.Dvd));
        File.WriteAllText(Path.Combine(dir.Path, "a.iso.medium"), "upsagent-medium 1\ntype dvd\ncapacity-blocks lots\nrewritable yes\nclosed no\n");
        StringAssert.Contains(Assert.ThrowsExactly<ManifestFormatException>(() => VirtualDisc.Open(Path.Combine(dir.Path, "a.iso"))).Message, "capacity-blocks 'lots'");
    }

    [TestMethod]
    public void The_sidecar_round_trips_and_rejects_bad_values()
    {
        var record = new VirtualDiscRecord("bd25", 12_219_392, Rewritable: false, Closed: true);
        Assert.AreEqual(record, VirtualDiscRecord.Parse(System.Text.Encoding.UTF8.GetString(record.ToBytes()), "x"));
        Assert.ThrowsExactly<ManifestFormatException>(() => VirtualDiscRecord.Parse("hello\n", "x"));
        Assert.ThrowsExactly<ManifestFormatException>(() => VirtualDiscRecord.Parse("upsagent-medium 1\ntype dvd\ncapacity-blocks 100\nrewritable maybe\nclosed no\n", "x"));
        Assert.ThrowsExactly<ManifestFormatException>(() => VirtualDiscRecord.Parse("upsagent-medium 1\ntype dvd\nrewritable yes\nclosed no\n", "x"));
    }
}
