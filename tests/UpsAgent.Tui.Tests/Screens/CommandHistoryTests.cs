using UpsAgent.Tui.Screens;

namespace UpsAgent.Tui.Tests.Screens;

[TestClass]
public sealed class CommandHistoryTests
{
    [TestMethod]
    public void Previous_walks_back_and_Next_returns_to_the_draft()
    {
        var history = new CommandHistory();
        history.Add("one");
        history.Add("two");
        Assert.AreEqual("two", history.Previous("dra"));
        Assert.AreEqual("one", history.Previous("two"));
        Assert.IsNull(history.Previous("one"));
        Assert.AreEqual("two", history.Next());
        Assert.AreEqual("dra", history.Next());
        Assert.IsNull(history.Next());
    }

    [TestMethod]
    public void Empty_lines_and_repeats_of_the_last_line_are_not_kept()
    {
        var history = new CommandHistory();
        history.Add("status");
        history.Add("status");
        history.Add(string.Empty);
        CollectionAssert.AreEqual(new[] { "status" }, history.Lines.ToArray());
    }

    [TestMethod]
    public void The_oldest_lines_go_beyond_the_capacity()
    {
        var history = new CommandHistory(capacity: 3);
        foreach (string line in new[] { "a", "b", "c", "d" })
        {
            history.Add(line);
        }

        CollectionAssert.AreEqual(new[] { "b", "c", "d" }, history.Lines.ToArray());
    }

    [TestMethod]
    public void With_no_history_Up_and_Down_change_nothing()
    {
        var history = new CommandHistory();
        Assert.IsNull(history.Previous("typed"));
        Assert.IsNull(history.Next());
    }
}
