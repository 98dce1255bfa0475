using UpsAgent.Tui.Status;

namespace UpsAgent.Tui.Tests.Status;

[TestClass]
public sealed class StatusPaneTests
{
    private static AgentStatus Parse(params string[] lines) => AgentStatus.Parse(lines);

    [TestMethod]
    public void Parse_reads_agent_ups_and_section_records()
    {
        AgentStatus s = Parse(
            "agent\tagent pid 7",
            "ups\tups\tFresh\tOL CHRG\t100\t2400\tRack UPS",
            "section\traid",
            "line\tmd0: raid5 clean, 3/3 in sync, events 9",
            "section\tshutdown",
            "line\tno shutdown decided");
        Assert.AreEqual("agent pid 7", s.Where);
        Assert.AreEqual(new UpsRow("ups", "Fresh", "OL CHRG", "100", "2400", "Rack UPS"), s.Ups.Single());
        CollectionAssert.AreEqual(new[] { "md0: raid5 clean, 3/3 in sync, events 9" }, s.Sections["raid"].ToArray());
        CollectionAssert.AreEqual(new[] { "no shutdown decided" }, s.Sections["shutdown"].ToArray());
    }

    [TestMethod]
    public void Parse_skips_records_it_does_not_know_and_short_ones()
    {
        AgentStatus s = Parse("battery\tx\ty", "ups\tshort", "line\torphan line before any section", string.Empty);
        Assert.AreEqual(0, s.Ups.Count);
        Assert.AreEqual(0, s.Sections.Count);
    }

    [TestMethod]
    public void Render_formats_charge_and_runtime_and_marks_stale_data()
    {
        IReadOnlyList<string> lines = StatusPane.Render(Parse(
            "ups\tone\tFresh\tOL\t99.6\t5400\t",
            "ups\ttwo\tStale\tOB\t\t\t",
            "ups\tthree\tNotConnected\tWAIT\tabc\t-5\t"));
        StringAssert.Contains(lines[1], "100%");
        StringAssert.Contains(lines[1], "1h30m");
        StringAssert.Contains(lines[2], "STALE");
        StringAssert.Matches(lines[2], new System.Text.RegularExpressions.Regex(@"OB\s+-\s+-\s+STALE"));
        StringAssert.Matches(lines[3], new System.Text.RegularExpressions.Regex(@"WAIT\s+-\s+-\s+NO DRIVER"), "garbage numbers show as unknown");
    }

    [TestMethod]
    public void Render_says_when_there_are_no_arrays_and_no_shutdown_monitor()
    {
        IReadOnlyList<string> lines = StatusPane.Render(Parse("agent\tin-process"));
        CollectionAssert.Contains(lines.ToArray(), "(no UPS configured)");
        CollectionAssert.Contains(lines.ToArray(), "RAID      no arrays configured");
        CollectionAssert.Contains(lines.ToArray(), "SHUTDOWN  no shutdown monitor configured");
    }

    [TestMethod]
    public void No_agent_names_the_socket_and_suspects_the_user_when_the_socket_file_is_there()
    {
        string dir = Directory.CreateTempSubdirectory("upsagent-pane").FullName;
        string socket = Path.Combine(dir, "ctl.sock");
        IReadOnlyList<string> missing = StatusPane.NoAgent(socket, TimeSpan.FromSeconds(2));
        StringAssert.Contains(missing[0], socket);
        StringAssert.Contains(missing[1], "Retrying every 2 s");
        Assert.IsFalse(missing.Any(l => l.Contains("another user", StringComparison.Ordinal)));

        File.WriteAllText(socket, string.Empty);
        StringAssert.Contains(StatusPane.NoAgent(socket, TimeSpan.FromSeconds(2))[^1], "another user");
        Directory.Delete(dir, recursive: true);
    }
}
