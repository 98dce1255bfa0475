using UpsAgent.Console.Repl;

namespace UpsAgent.Console.Tests.Repl;

[TestClass]
public sealed class ReplLineSplitterTests
{
    [TestMethod]
    [DataRow("ups list", new[] { "ups", "list" })]
    [DataRow("  ups\tvars   ups ", new[] { "ups", "vars", "ups" })]
    [DataRow("ups set ups ups.id \"rack b\"", new[] { "ups", "set", "ups", "ups.id", "rack b" })]
    [DataRow("ups set ups ups.id 'a \"q\" b'", new[] { "ups", "set", "ups", "ups.id", "a \"q\" b" })]
    [DataRow("a\\ b c", new[] { "a b", "c" })]
    [DataRow("a #comment", new[] { "a" })]
    [DataRow("a b#c", new[] { "a", "b#c" })]
    [DataRow("x \"\"", new[] { "x", "" })]
    public void Splits_words_like_a_shell(string line, string[] expected)
    {
        Assert.IsTrue(ReplLineSplitter.TrySplit(line, out List<string> words, out string? error), error);
        CollectionAssert.AreEqual(expected, words);
    }

    [TestMethod]
    [DataRow("a \"b", "unterminated")]
    [DataRow("a \\", "backslash")]
    public void Rejects_broken_quoting(string line, string expected)
    {
        Assert.IsFalse(ReplLineSplitter.TrySplit(line, out _, out string? error));
        StringAssert.Contains(error, expected);
    }
}
