namespace UpsAgent.Tui.Tests;

[TestClass]
public sealed class TerminalCheckTests
{
    [TestMethod]
    public void Without_a_terminal_the_check_fails_and_says_why()
    {
        // Under the test host (no terminal, and DisableRealDriverIO set) there is nothing to draw on.
        Assert.IsFalse(TerminalCheck.IsInteractive(out string why));
        Assert.IsFalse(string.IsNullOrEmpty(why));
    }
}
