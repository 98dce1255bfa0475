using UpsAgent.Backup.Iso9660;
using UpsAgent.Backup.Manifest;
using UpsAgent.Backup.Media;
using UpsAgent.Backup.Tests.Iso9660;

namespace UpsAgent.Backup.Tests.Media;

[TestClass]
public sealed class RotationRunTests
{
    private const long Day = 86400;
    private static readonly Func<SourceNode, Stream> Content = n => new MemoryStream(MemoryTree.Content(n));

    [TestMethod]
    public void Two_rewritable_discs_alternate_night_after_night_and_each_session_is_verified_good()
    {
        using var dir = new TempDirectory();
        var catalog = new BackupCatalog(Path.Combine(dir.Path, "state"));
        var set = TwoDiscs(dir);
        var run = new RotationRun(catalog);
        var labels = new List<string>();
        for (int night = 0; night < 4; night++)
        {
            RotationOutcome outcome = run.Run(set, MemoryTree.Sample(), MemoryTree.Time + (night * Day), Content, dryRun: false);
            Assert.IsNotNull(outcome.Verify);
            Assert.IsTrue(outcome.Verify.Good, string.Join("\n", outcome.Verify.Problems));
            Assert.AreEqual(VerifyState.Good, outcome.Catalogued!.State);
            labels.Add(outcome.Decision.Label!);
        }

        CollectionAssert.AreEqual(new[] { "UPSAGENT_A", "UPSAGENT_B", "UPSAGENT_A", "UPSAGENT_B" }, labels);
        Assert.HasCount(4, catalog.Sessions());
        Assert.AreEqual("UPSAGENT_B", set[1].Target.Status().VolumeId);
    }

    [TestMethod]
    public void When_the_newest_session_failed_verification_the_next_night_rewrites_it_and_keeps_the_good_disc()
    {
        using var dir = new TempDirectory();
        var catalog = new BackupCatalog(Path.Combine(dir.Path, "state"));
        var set = TwoDiscs(dir);
        var run = new RotationRun(catalog);
        run.Run(set, MemoryTree.Sample(), MemoryTree.Time, Content, dryRun: false);
        RotationOutcome b = run.Run(set, MemoryTree.Sample(), MemoryTree.Time + Day, Content, dryRun: false);
        catalog.MarkVerified(b.Catalogued!, good: false, MemoryTree.Time + Day);
        byte[] goodDisc = File.ReadAllBytes(((VirtualDisc)set[0].Target).ImagePath);

        RotationOutcome next = run.Run(set, MemoryTree.Sample(), MemoryTree.Time + (2 * Day), Content, dryRun: false);
        Assert.AreEqual("UPSAGENT_B", next.Decision.Label);
        CollectionAssert.AreEqual(goodDisc, File.ReadAllBytes(((VirtualDisc)set[0].Target).ImagePath));
    }

    [TestMethod]
    public void A_dry_run_decides_without_touching_any_medium()
    {
        using var dir = new TempDirectory();
        var catalog = new BackupCatalog(Path.Combine(dir.Path, "state"));
        var set = TwoDiscs(dir);
        RotationOutcome outcome = new RotationRun(catalog).Run(set, MemoryTree.Sample(), MemoryTree.Time, Content, dryRun: true);
        Assert.AreEqual(("UPSAGENT_A", RotationAction.Write), (outcome.Decision.Label, outcome.Decision.Action));
        Assert.IsNull(outcome.Written);
        Assert.AreEqual(MediumState.Blank, set[0].Target.Status().State);
        Assert.IsEmpty(catalog.Sessions());
    }

    [TestMethod]
    public void A_target_holding_another_label_is_refused_before_it_is_blanked()
    {
        using var dir = new TempDirectory();
        var catalog = new BackupCatalog(Path.Combine(dir.Path, "state"));
        VirtualDisc disc = VirtualDisc.Create(Path.Combine(dir.Path, "drive.iso"), MediumProfile.Dvd);
        disc.WriteSession(MemoryTree.Sample(), new IsoOptions("SOMEONE_ELSE", MemoryTree.Time), Content);
        byte[] before = File.ReadAllBytes(disc.ImagePath);
        RotationOutcome outcome = new RotationRun(catalog).Run([("UPSAGENT_A", disc)], MemoryTree.Sample(), MemoryTree.Time + Day, Content, dryRun: false);
        Assert.AreEqual(RotationAction.Refuse, outcome.Decision.Action);
        StringAssert.Contains(outcome.Decision.Reason, "holds 'SOMEONE_ELSE'");
        StringAssert.Contains(outcome.Decision.Reason, "insert UPSAGENT_A");
        CollectionAssert.AreEqual(before, File.ReadAllBytes(disc.ImagePath));
    }

    [TestMethod]
    public void A_one_disc_set_holding_the_newest_good_backup_is_left_alone()
    {
        using var dir = new TempDirectory();
        var catalog = new BackupCatalog(Path.Combine(dir.Path, "state"));
        var set = TwoDiscs(dir).Take(1).ToList();
        var run = new RotationRun(catalog);
        Assert.IsTrue(run.Run(set, MemoryTree.Sample(), MemoryTree.Time, Content, dryRun: false).Verify!.Good);
        byte[] before = File.ReadAllBytes(((VirtualDisc)set[0].Target).ImagePath);
        RotationOutcome outcome = run.Run(set, MemoryTree.Sample(), MemoryTree.Time + Day, Content, dryRun: false);
        Assert.AreEqual(RotationAction.Refuse, outcome.Decision.Action);
        CollectionAssert.AreEqual(before, File.ReadAllBytes(((VirtualDisc)set[0].Target).ImagePath));
    }

    private static List<(string Label, IMediaTarget Target)> TwoDiscs(TempDirectory dir) =>
    [
        ("UPSAGENT_A", VirtualDisc.Create(Path.Combine(dir.Path, "a.iso"), MediumProfile.Cd700)),
        ("UPSAGENT_B", VirtualDisc.Create(Path.Combine(dir.Path, "b.iso"), MediumProfile.Cd700)),
    ];
}
