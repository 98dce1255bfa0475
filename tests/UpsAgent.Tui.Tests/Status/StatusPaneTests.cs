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

    [TestMethod]
    public void Wrap_breaks_long_lines_at_spaces_and_hangs_the_rest_under_the_text_column()
    {
        string[] lines =
        [
            "RAID      md0: raid1 clean, degraded, recovering, 1/2 in sync, events 40, recover 37.5%",
            "SHUTDOWN  no shutdown decided",
        ];
        CollectionAssert.AreEqual(
            new[]
            {
                "RAID      md0: raid1 clean, degraded,",
                "          recovering, 1/2 in sync,",
                "          events 40, recover 37.5%",
                "SHUTDOWN  no shutdown decided",
            },
            StatusPane.Wrap(lines, 40).ToArray());
        CollectionAssert.AreEqual(lines, StatusPane.Wrap(lines, 200).ToArray(), "lines that fit are left alone");
        CollectionAssert.AreEqual(lines, StatusPane.Wrap(lines, 0).ToArray(), "before layout there is no width to wrap to");
    }

    [TestMethod]
    public void Wrap_cuts_a_word_longer_than_the_row_and_loses_no_character()
    {
        string line = "No agent is answering on control socket /run/upsagent/a-very-long-directory-name/ctl.sock.";
        foreach (int width in new[] { 1, 2, 7, 20, 33, 60 })
        {
            IReadOnlyList<string> rows = StatusPane.Wrap([line], width);
            Assert.IsTrue(rows.All(r => r.Length <= width), $"width {width}: {string.Join(" | ", rows)}");
            Assert.AreEqual(line.Replace(" ", "", StringComparison.Ordinal), string.Concat(rows).Replace(" ", "", StringComparison.Ordinal), $"width {width}");
        }

        CollectionAssert.AreEqual(
            new[] { "No agent is answering on control", "  socket", "  /run/upsagent/a-very-long-dire", "  ctory-name/ctl.sock." },
            StatusPane.Wrap([line], 32).ToArray());
    }
}
