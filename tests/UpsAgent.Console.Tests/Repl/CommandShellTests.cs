using UpsAgent.Console.Repl;

namespace UpsAgent.Console.Tests.Repl;

[TestClass]
public sealed class CommandShellTests
{
    private static (CommandShell Shell, TestUps Ups) NewShell()
    {
        var ups = new TestUps();
        var shell = new CommandShell();
        var context = new AgentContext(ups.Registry, [], "in-process");
        AgentCommands.Register(shell, context);
        UpsCommands.Register(shell, context);
        return (shell, ups);
    }

    private static async Task<(int Code, string Output)> Run(CommandShell shell, string line)
    {
        var output = new StringWriter { NewLine = "\n" };
        int code = await shell.ExecuteAsync(line, output, CancellationToken.None);
        return (code, output.ToString());
    }

    [TestMethod]
    public async Task Ups_list_shows_name_status_and_description()
    {
        var (shell, _) = NewShell();
        var (code, output) = await Run(shell, "ups list");
        Assert.AreEqual(0, code);
        StringAssert.Contains(output, "ups");
        StringAssert.Contains(output, "OL CHRG");
        StringAssert.Contains(output, "Test UPS");
    }

    [TestMethod]
    public async Task Ups_vars_prints_every_variable_like_upsc()
    {
        var (shell, _) = NewShell();
        var (code, output) = await Run(shell, "ups vars ups");
        Assert.AreEqual(0, code);
        Assert.AreEqual("battery.charge: 100\ninput.sensitivity: low\nups.id: rack-a\nups.status: OL CHRG\n", output);
    }

    [TestMethod]
    public async Task Ups_get_prints_the_value_and_fsd_prefix()
    {
        var (shell, ups) = NewShell();
        ups.Store.LatchForcedShutdown();
        var (code, output) = await Run(shell, "UPS GET ups UPS.STATUS");
        Assert.AreEqual(0, code);
        Assert.AreEqual("FSD OL CHRG\n", output);
    }

    [TestMethod]
    public async Task Unknown_ups_and_variable_are_clear_errors()
    {
        var (shell, _) = NewShell();
        var (code, output) = await Run(shell, "ups get nosuch ups.status");
        Assert.AreEqual(1, code);
        StringAssert.Contains(output, "unknown UPS 'nosuch' (configured: ups)");
        (code, output) = await Run(shell, "ups get ups no.such");
        Assert.AreEqual(1, code);
        StringAssert.Contains(output, "variable 'no.such' not supported");
    }

    [TestMethod]
    public async Task Ups_set_validates_before_asking_the_driver()
    {
        var (shell, ups) = NewShell();
        Assert.AreEqual(1, (await Run(shell, "ups set ups battery.charge 50")).Code);
        var (code, output) = await Run(shell, "ups set ups ups.id \"much too long\"");
        Assert.AreEqual(1, code);
        StringAssert.Contains(output, "at most 8");
        (code, output) = await Run(shell, "ups set ups input.sensitivity medium");
        Assert.AreEqual(1, code);
        StringAssert.Contains(output, "one of low, high");
        Assert.IsTrue(ups.Calls.IsEmpty);

        (code, output) = await Run(shell, "ups set ups ups.id 'rack b'");
        Assert.AreEqual(0, code, output);
        Assert.AreEqual("rack b", ups.Store.Current.GetValue("ups.id"));
    }

    [TestMethod]
    public async Task Ups_cmd_runs_listed_commands_with_parameter_and_reports_driver_refusal()
    {
        var (shell, ups) = NewShell();
        Assert.AreEqual(0, (await Run(shell, "ups cmd ups load.off 10")).Code);
        Assert.IsTrue(ups.Calls.Contains("CMD load.off 10"));
        Assert.AreEqual(1, (await Run(shell, "ups cmd ups test.battery.start")).Code);
        ups.NextOutcome = Core.Commands.CommandOutcome.Failed;
        var (code, output) = await Run(shell, "ups cmd ups beeper.disable");
        Assert.AreEqual(1, code);
        StringAssert.Contains(output, "failed");
    }

    [TestMethod]
    public async Task Stale_data_is_reported_not_shown()
    {
        var (shell, ups) = NewShell();
        ups.Writer.MarkStale();
        var (code, output) = await Run(shell, "ups vars ups");
        Assert.AreEqual(1, code);
        StringAssert.Contains(output, "stale");
    }

    [TestMethod]
    public async Task Unknown_commands_and_bad_usage_answer_with_help_not_exceptions()
    {
        var (shell, _) = NewShell();
        var (code, output) = await Run(shell, "frobnicate");
        Assert.AreEqual(2, code);
        StringAssert.Contains(output, "unknown command 'frobnicate'");
        (code, output) = await Run(shell, "ups frob");
        Assert.AreEqual(2, code);
        StringAssert.Contains(output, "ups vars NAME");
        (code, output) = await Run(shell, "ups get ups");
        Assert.AreEqual(2, code);
        StringAssert.Contains(output, "usage: ups get NAME VAR");
        (code, output) = await Run(shell, "ups get \"unterminated");
        Assert.AreEqual(2, code);
        StringAssert.Contains(output, "unterminated");
    }

    [TestMethod]
    public async Task Blank_lines_and_comments_do_nothing()
    {
        var (shell, _) = NewShell();
        Assert.AreEqual((0, string.Empty), await Run(shell, "   "));
        Assert.AreEqual((0, string.Empty), await Run(shell, "# a comment"));
    }

    [TestMethod]
    public async Task Help_lists_every_command_and_a_group()
    {
        var (shell, _) = NewShell();
        var (code, output) = await Run(shell, "help");
        Assert.AreEqual(0, code);
        foreach (ReplCommand c in shell.Commands)
        {
            StringAssert.Contains(output, c.Usage);
        }

        (code, output) = await Run(shell, "help ups");
        Assert.AreEqual(0, code);
        Assert.IsFalse(output.Contains("status  ", StringComparison.Ordinal));
    }

    [TestMethod]
    public async Task A_throwing_handler_becomes_an_error_line()
    {
        var shell = new CommandShell();
        shell.Add(new ReplCommand("boom", "boom", "throws", _ => throw new InvalidOperationException("kaput")));
        var (code, output) = await Run(shell, "boom");
        Assert.AreEqual(1, code);
        StringAssert.Contains(output, "kaput");
    }
}
