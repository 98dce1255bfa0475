using UpsAgent.Cli;

namespace UpsAgent.Tests.Cli;

[TestClass]
public sealed class ArgumentParserTests
{
    private static readonly OptionSpec[] Specs =
    [
        new("--config", "FILE", ""),
        new("--listen-nut", "ADDR", ""),
        new("--outage", null, ""),
        new("--command", "LINE", "", "-c"),
    ];

    [TestMethod]
    public void Values_flags_repeats_and_positionals_are_read()
    {
        ParsedArguments p = ArgumentParser.Parse(["--config", "a.conf", "--listen-nut=1.2.3.4:5", "--listen-nut", "x", "--outage", "-c", "ups list", "pos"], Specs, "run");
        Assert.AreEqual("a.conf", p.Value("--config"));
        CollectionAssert.AreEqual(new[] { "1.2.3.4:5", "x" }, p.Values("--listen-nut").ToArray());
        Assert.IsTrue(p.Has("--outage"));
        Assert.AreEqual("ups list", p.Value("--command"));
        CollectionAssert.AreEqual(new[] { "pos" }, p.Positional);
    }

    [TestMethod]
    [DataRow(new[] { "--frob" }, "unknown option '--frob'")]
    [DataRow(new[] { "--config" }, "needs a value FILE")]
    [DataRow(new[] { "--outage=yes" }, "takes no value")]
    public void Mistakes_are_usage_errors(string[] args, string message)
    {
        var e = Assert.ThrowsExactly<UsageException>(() => ArgumentParser.Parse(args, Specs, "run"));
        StringAssert.Contains(e.Message, message);
    }

    [TestMethod]
    public void Every_verb_has_complete_help()
    {
        foreach (CliVerb verb in Verbs.All())
        {
            var output = new StringWriter();
            verb.WriteHelp(output);
            string text = output.ToString();
            StringAssert.StartsWith(text, $"usage: upsagent {verb.Name}");
            foreach (OptionSpec option in verb.Options)
            {
                StringAssert.Contains(text, option.Name);
                Assert.IsFalse(string.IsNullOrWhiteSpace(option.Help), $"{verb.Name} {option.Name} has no help");
            }
        }
    }
}
