using Terminal.Gui.App;
using Terminal.Gui.Drivers;
using Terminal.Gui.Input;
using Terminal.Gui.Testing;
using UpsAgent.Tui.Link;
using UpsAgent.Tui.Screens;

namespace UpsAgent.Tui.Tests.Screens;

// Terminal.Gui keeps some process-wide state (the driver registry, MaximumIterationsPerSecond), so
// these sessions run one at a time.
[TestClass, DoNotParallelize]
public sealed class ConsoleWindowTests
{
    [TestMethod, Timeout(30_000)]
    public void Status_pane_shows_each_ups_with_charge_runtime_and_data_state_and_the_raid_and_shutdown_lines()
    {
        using FakeAgent agent = new FakeAgent().Start();
        using var console = new ConsoleHarness(agent.SocketPath);
        console.PumpUntil(() => console.Window.StatusLines.Any(l => l.StartsWith("ups ", StringComparison.Ordinal)), "the first status");

        string upsRow = console.Window.StatusLines.Single(l => l.StartsWith("ups ", StringComparison.Ordinal));
        StringAssert.Contains(upsRow, "OB DISCHRG");
        StringAssert.Contains(upsRow, "42%");
        StringAssert.Contains(upsRow, "20m00s");
        StringAssert.Contains(upsRow, "fresh");
        string screen = console.Screen;
        StringAssert.Contains(screen, "OB DISCHRG");
        StringAssert.Contains(screen, "RAID      md0: raid1 clean, degraded, recovering, 1/2 in sync");
        CollectionAssert.Contains(console.Window.StatusLines.ToArray(), "RAID      md0: raid1 clean, degraded, recovering, 1/2 in sync, events 40, recover 37.5%");
        StringAssert.Contains(screen, "on battery, 42% left");
        StringAssert.Contains(screen, "no shutdown decided");
        StringAssert.Contains(screen, "agent pid 4242");
        Assert.IsFalse(screen.Contains("/sbin/poweroff", StringComparison.Ordinal), "the configured command is noise in a live pane");
    }

    [TestMethod, Timeout(30_000)]
    public void Long_status_lines_wrap_in_the_pane_and_wrap_again_when_the_terminal_is_resized()
    {
        using FakeAgent agent = new FakeAgent().Start();
        agent.Raid.Lines = ["  md0: raid6 active, degraded, recovering, 5/6 in sync, events 1234, recover 12.5%, finish 80.0min, spare /dev/sdg1"];
        using var console = new ConsoleHarness(agent.SocketPath);
        console.App.Driver!.SetScreenSize(60, 30);
        console.PumpUntil(() => console.Window.StatusLines.Any(l => l.Contains("spare /dev/sdg1", StringComparison.Ordinal)), "the first status");

        // 60 columns: the window's and the pane's borders leave 56 for the text.
        string[] screen = console.Screen.Split('\n');
        string[] rows = [.. console.Window.StatusRows];
        Assert.IsTrue(rows.All(r => r.Length <= 56), string.Join('\n', rows));
        int first = Array.FindIndex(screen, l => l.Contains("RAID      md0: raid6 active, degraded, recovering,", StringComparison.Ordinal));
        Assert.IsGreaterThanOrEqualTo(0, first, string.Join('\n', screen));
        StringAssert.EndsWith(screen[first].TrimEnd('│', ' '), "recovering, 5/6");
        StringAssert.Contains(screen[first + 1], "          in sync, events 1234, recover 12.5%, finish");
        StringAssert.Contains(screen[first + 2], "          80.0min, spare /dev/sdg1");
        StringAssert.Contains(screen[first + 3], "SHUTDOWN  ups: primary, power value 1: on battery, 42%");
        StringAssert.Contains(screen[first + 4], "          left");
        int outputTop = Array.FindIndex(screen, l => l.Contains("Output", StringComparison.Ordinal));
        Assert.AreEqual(1 + 1 + 8 + 1, outputTop, "the pane holds all 8 rows: header, ups, 3 of RAID, 2 + 1 of SHUTDOWN");

        // Wider: each line in one row, the pane three rows shorter.
        console.App.Driver!.SetScreenSize(160, 30);
        screen = console.Screen.Split('\n');
        Assert.AreEqual(outputTop - 3, Array.FindIndex(screen, l => l.Contains("Output", StringComparison.Ordinal)), string.Join('\n', screen));
        Assert.AreEqual(1, screen.Count(l => l.Contains("RAID      md0: raid6 active, degraded, recovering, 5/6 in sync, events 1234, recover 12.5%, finish 80.0min, spare /dev/sdg1", StringComparison.Ordinal)), string.Join('\n', screen));
        Assert.HasCount(console.Window.StatusLines.Count, console.Window.StatusRows);
    }

    [TestMethod, Timeout(30_000)]
    public void Status_pane_follows_the_agent_on_each_refresh()
    {
        using FakeAgent agent = new FakeAgent().Start();
        using var console = new ConsoleHarness(agent.SocketPath);
        console.PumpUntil(() => console.Window.StatusLines.Any(l => l.Contains("OB DISCHRG", StringComparison.Ordinal)), "the first status");

        agent.Writer.SetValue("ups.status", "OB LB");
        agent.Raid.Lines = ["  md0: raid1 clean, 2/2 in sync, events 41"];
        console.NextRefresh();
        console.PumpUntil(() => console.Window.StatusLines.Any(l => l.Contains("OB LB", StringComparison.Ordinal)), "the refreshed status");
        StringAssert.Contains(console.Screen, "md0: raid1 clean, 2/2 in sync, events 41");
    }

    [TestMethod, Timeout(30_000)]
    public void Typing_a_command_and_Enter_shows_its_output()
    {
        using FakeAgent agent = new FakeAgent().Start();
        using var console = new ConsoleHarness(agent.SocketPath);

        console.Type("ups get ups battery.charge");
        console.Press(Key.Enter);
        Assert.AreEqual(string.Empty, console.Window.Input.Text, "Enter clears the command line");
        console.PumpUntil(() => console.Window.OutputLines.Count >= 2, "the command's output");

        CollectionAssert.AreEqual(new[] { "upsagent> ups get ups battery.charge", "42" }, console.Window.OutputLines.ToArray());
        StringAssert.Contains(console.Screen, "upsagent> ups get ups battery.charge");

        console.Type("ups get nosuch ups.status");
        console.Press(Key.Enter);
        console.PumpUntil(() => console.Window.OutputLines.Count >= 4, "the error");
        StringAssert.Contains(console.Window.OutputLines[3], "unknown UPS 'nosuch'");
    }

    [TestMethod, Timeout(30_000)]
    public void Up_and_Down_recall_earlier_commands()
    {
        using FakeAgent agent = new FakeAgent().Start();
        using var console = new ConsoleHarness(agent.SocketPath);
        foreach (string command in new[] { "ups list", "status" })
        {
            console.Type(command);
            console.Press(Key.Enter);
            Assert.IsTrue(console.Window.LastCommand.Wait(TimeSpan.FromSeconds(10)));
        }

        console.Type("ups g");
        console.Press(Key.CursorUp);
        Assert.AreEqual("status", console.Window.Input.Text);
        console.Press(Key.CursorUp);
        Assert.AreEqual("ups list", console.Window.Input.Text);
        console.Press(Key.CursorUp);
        Assert.AreEqual("ups list", console.Window.Input.Text, "Up at the oldest line stays there");
        console.Press(Key.CursorDown);
        Assert.AreEqual("status", console.Window.Input.Text);
        console.Press(Key.CursorDown);
        Assert.AreEqual("ups g", console.Window.Input.Text, "Down past the newest returns what was being typed");

        console.Press(Key.CursorUp);
        console.Press(Key.Enter);
        console.PumpUntil(() => console.Window.OutputLines.Count(l => l == "upsagent> status") == 2, "the recalled command to run");
    }

    [TestMethod, Timeout(30_000)]
    public void Without_an_agent_it_says_so_refuses_commands_and_attaches_once_one_starts()
    {
        var agent = new FakeAgent();
        using var console = new ConsoleHarness(agent.SocketPath);
        console.PumpUntil(() => console.Window.StatusLines.Any(l => l.StartsWith("No agent is answering", StringComparison.Ordinal)), "the no-agent notice");
        StringAssert.Contains(console.Screen, "No agent is answering on control socket");
        StringAssert.Contains(console.Screen, agent.SocketPath + ".", "a long path wraps to the next row, whole");
        StringAssert.Contains(console.Window.StatusLines[0], agent.SocketPath);

        console.Type("ups list");
        console.Press(Key.Enter);
        console.PumpUntil(() => console.Window.OutputLines.Count >= 2, "the refusal");
        StringAssert.StartsWith(console.Window.OutputLines[1], "error: no agent is answering on " + agent.SocketPath);

        using (agent.Start())
        {
            console.NextRefresh();
            console.PumpUntil(() => console.Window.StatusLines.Any(l => l.Contains("OB DISCHRG", StringComparison.Ordinal)), "the status once the agent runs");
        }

        // The agent stops again: the next refresh says so instead of showing stale figures.
        console.NextRefresh();
        console.PumpUntil(() => console.Window.StatusLines.Any(l => l.StartsWith("No agent is answering", StringComparison.Ordinal)), "the no-agent notice again");
    }

    [TestMethod, Timeout(30_000)]
    [DataRow("Esc")]
    [DataRow("F10")]
    [DataRow("Ctrl-Q")]
    [DataRow("quit")]
    public async Task Quit_keys_and_the_quit_command_end_the_console(string how)
    {
        using FakeAgent agent = new FakeAgent().Start();
        await using var statusLink = new SocketAgentLink(agent.SocketPath);
        await using var commandLink = new SocketAgentLink(agent.SocketPath);
        using IApplication app = Application.Create();
        app.Init(DriverRegistry.Names.ANSI);
        using var window = new ConsoleWindow(statusLink, commandLink, TimeSpan.FromSeconds(2));
        window.Attach(app);
        bool pressed = false;
        app.Iteration += (_, _) =>
        {
            if (pressed)
            {
                return;
            }

            pressed = true;
            switch (how)
            {
                case "Esc":
                    app.InjectKey(Key.Esc);
                    break;
                case "F10":
                    app.InjectKey(Key.F10);
                    break;
                case "Ctrl-Q":
                    app.InjectKey(Key.Q.WithCtrl);
                    break;
                default:
                    foreach (char c in how)
                    {
                        app.InjectKey(new Key(c));
                    }

                    app.InjectKey(Key.Enter);
                    break;
            }
        };

        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await app.RunAsync(window, limit.Token);
        Assert.IsTrue(pressed);
        Assert.IsFalse(limit.IsCancellationRequested, $"{how} did not stop the console");
    }
}
