using UpsAgent.Console.Repl;

namespace UpsAgent.Console.Tests.Repl;

[TestClass]
public sealed class StatusRecordsTests
{
    private sealed class Reporter(string name, string text) : IStatusReporter
    {
        public string Name => name;

        public void WriteStatus(TextWriter output) => output.Write(text);
    }

    private static async Task<(int Code, string Output)> Run(AgentContext context, string line)
    {
        var shell = new CommandShell();
        AgentCommands.Register(shell, context);
        var output = new StringWriter { NewLine = "\n" };
        int code = await shell.ExecuteAsync(line, output, CancellationToken.None);
        return (code, output.ToString());
    }

    [TestMethod]
    public async Task Status_tsv_gives_one_tab_separated_record_per_agent_ups_section_and_line()
    {
        var ups = new TestUps();
        var context = new AgentContext(ups.Registry, [new Reporter("raid", "  md0: raid1 clean\n  md1: raid5 degraded\n")], "agent pid 9");
        var (code, output) = await Run(context, "status tsv");
        Assert.AreEqual(0, code);
        Assert.AreEqual(
            "agent\tagent pid 9\n" +
            "ups\tups\tFresh\tOL CHRG\t100\t\tTest UPS\n" +
            "section\traid\n" +
            "line\tmd0: raid1 clean\n" +
            "line\tmd1: raid5 degraded\n",
            output);
    }

    [TestMethod]
    public async Task Status_tsv_keeps_tabs_in_values_from_shifting_the_columns()
    {
        var ups = new TestUps();
        ups.Writer.SetValue("ups.status", "OL\tCHRG");
        var context = new AgentContext(ups.Registry, [new Reporter("odd\tname", "a\tb\n")], "x");
        var (_, output) = await Run(context, "status tsv");
        string[] records = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.AreEqual(7, StatusRecord.Split(records[1]).Length);
        Assert.AreEqual("OL CHRG", StatusRecord.Split(records[1])[3]);
        CollectionAssert.AreEqual(new[] { "section", "odd name" }, StatusRecord.Split(records[2]));
        CollectionAssert.AreEqual(new[] { "line", "a b" }, StatusRecord.Split(records[3]));
    }

    [TestMethod]
    public async Task Status_tsv_takes_no_arguments()
    {
        var (code, output) = await Run(new AgentContext(new TestUps().Registry, [], "x"), "status tsv extra");
        Assert.AreEqual(2, code);
        Assert.AreEqual("usage: status tsv\n", output);
    }

    [TestMethod]
    public async Task Plain_status_still_takes_no_arguments()
    {
        var (code, output) = await Run(new AgentContext(new TestUps().Registry, [], "x"), "status brief");
        Assert.AreEqual(2, code);
        Assert.AreEqual("usage: status\n", output);
    }
}
