using UpsAgent.Backup.Media;

namespace UpsAgent.Backup.Tests.Media;

[TestClass]
public sealed class RotationPlannerTests
{
    private const long Day = 86400;

    private static RotationMedium M(string label, MediumState state, long written = 0, long good = 0, bool rewritable = true) =>
        new(label, state, rewritable, written, good);

    [TestMethod]
    public void Blank_media_are_used_first_in_set_order()
    {
        RotationDecision d = RotationPlanner.Next([M("A", MediumState.Blank), M("B", MediumState.Blank)]);
        Assert.AreEqual(RotationAction.Write, d.Action);
        Assert.AreEqual("A", d.Label);
        d = RotationPlanner.Next([M("A", MediumState.Appendable, 10 * Day, 10 * Day), M("B", MediumState.Blank)]);
        Assert.AreEqual(("B", RotationAction.Write), (d.Label, d.Action));
    }

    [TestMethod]
    public void Media_are_used_in_turn_overwriting_the_one_written_longest_ago()
    {
        var set = new[] { M("A", MediumState.Appendable, 10 * Day, 10 * Day), M("B", MediumState.Appendable, 11 * Day, 11 * Day), M("C", MediumState.Appendable, 9 * Day, 9 * Day) };
        RotationDecision d = RotationPlanner.Next(set);
        Assert.AreEqual(RotationAction.BlankAndWrite, d.Action);
        Assert.AreEqual("C", d.Label);
        StringAssert.Contains(d.Reason, "B keeps the newest good backup");
    }

    [TestMethod]
    public void After_a_failed_verification_the_failed_medium_is_reused_and_the_good_one_kept()
    {
        // A: good two nights ago. B: written last night but its verification failed. The turn says A; A is the only good backup.
        var set = new[] { M("A", MediumState.Appendable, 10 * Day, 10 * Day), M("B", MediumState.Appendable, 11 * Day, 0) };
        RotationDecision d = RotationPlanner.Next(set);
        Assert.AreEqual(("B", RotationAction.BlankAndWrite), (d.Label, d.Action));
        StringAssert.Contains(d.Reason, "A keeps the newest good backup");
    }

    [TestMethod]
    public void The_only_medium_holding_the_newest_good_backup_is_refused_not_wiped()
    {
        RotationDecision d = RotationPlanner.Next([M("A", MediumState.Appendable, 10 * Day, 10 * Day)]);
        Assert.AreEqual(RotationAction.Refuse, d.Action);
        Assert.IsNull(d.Label);
        StringAssert.Contains(d.Reason, "A holds the newest good backup");
        StringAssert.Contains(d.Reason, "add a second medium");
    }

    [TestMethod]
    public void A_single_medium_without_a_good_backup_may_be_rewritten()
    {
        RotationDecision d = RotationPlanner.Next([M("A", MediumState.Appendable, 10 * Day, 0)]);
        Assert.AreEqual(("A", RotationAction.BlankAndWrite), (d.Label, d.Action));
    }

    [TestMethod]
    public void A_medium_blanked_since_its_good_backup_no_longer_counts_as_holding_it()
    {
        var set = new[] { M("A", MediumState.Blank, 10 * Day, 10 * Day), M("B", MediumState.Appendable, 9 * Day, 9 * Day) };
        Assert.AreEqual("B", RotationPlanner.NewestGood(set)!.Label);
        Assert.AreEqual(("A", RotationAction.Write), (RotationPlanner.Next(set).Label, RotationPlanner.Next(set).Action));
    }

    [TestMethod]
    public void Written_write_once_media_are_skipped_and_a_set_with_nothing_usable_is_refused_with_every_reason()
    {
        var set = new[] { M("A", MediumState.Closed, 10 * Day, 10 * Day, rewritable: false), M("B", MediumState.Appendable, 9 * Day, 0, rewritable: false) };
        RotationDecision d = RotationPlanner.Next(set);
        Assert.AreEqual(RotationAction.Refuse, d.Action);
        StringAssert.Contains(d.Reason, "A holds the newest good backup");
        StringAssert.Contains(d.Reason, "B is written and cannot be blanked");
    }

    [TestMethod]
    public void An_empty_set_and_a_label_used_twice_are_refused()
    {
        Assert.AreEqual(RotationAction.Refuse, RotationPlanner.Next([]).Action);
        StringAssert.Contains(RotationPlanner.Next([M("A", MediumState.Blank), M("A", MediumState.Blank)]).Reason, "twice");
    }
}
