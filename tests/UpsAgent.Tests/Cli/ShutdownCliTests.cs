namespace UpsAgent.Tests.Cli;

[TestClass]
public sealed class ShutdownCliTests
{
    private static string Config(string text)
    {
        string path = Path.Combine(Directory.CreateTempSubdirectory("upsagent-sd").FullName, "upsagent.conf");
        File.WriteAllText(path, text);
        return path;
    }

    [TestMethod]
    public void Simulate_plays_the_outage_through_the_real_policy_and_starts_nothing()
    {
        string marker = Path.Combine(Path.GetTempPath(), "upsagent-never-" + Guid.NewGuid().ToString("N"));
        string conf = Config($"[ups ups]\n[shutdown]\ncommand = touch {marker}\nnotify-command = touch {marker}\nhook = raid 10 touch {marker}\n");
        // A moderate speed keeps each simulated second several milliseconds long even on a busy machine.
        var (code, stdout, stderr) = AgentProcess.Run(null, "shutdown", "simulate", "--config", conf, "--speed", "10");
        Assert.AreEqual(0, code, stdout + stderr);
        string[] expected = ["ups: OL CHRG", "ups: OB DISCHRG", "NOTIFYTYPE=ONBATT", "ups: OB LB DISCHRG", "shutdown decided: LowBattery on ups", "FSD set on ups", "hook raid: done", $"would run: touch {marker}"];
        int at = 0;
        foreach (string line in expected)
        {
            int found = stdout.IndexOf(line, at, StringComparison.Ordinal);
            Assert.IsTrue(found >= 0, $"'{line}' missing or out of order in:\n{stdout}");
            at = found;
        }

        Assert.IsFalse(File.Exists(marker), "a rehearsal starts nothing");
    }

    [TestMethod]
    public void Simulate_says_so_when_nothing_would_shut_the_host_down()
    {
        string conf = Config("[ups ups]\n[monitor ups]\nups = ups\npower-value = 0\n[shutdown]\nmin-supplies = 0\n");
        var (code, stdout, _) = AgentProcess.Run(null, "shutdown", "simulate", "--config", conf, "--speed", "1000", "--duration", "120");
        Assert.AreEqual(1, code);
        StringAssert.Contains(stdout, "no shutdown within 120 s");
    }

    [TestMethod]
    public void Plan_lists_triggers_and_steps()
    {
        string conf = Config("[ups ups]\n[shutdown]\non-battery-limit = 180\nhook = raid 30 /bin/true\ncommand = /sbin/poweroff\npower-down-flag = /etc/killpower\n");
        var (code, stdout, stderr) = AgentProcess.Run(null, "shutdown", "plan", "--config", conf);
        Assert.AreEqual(0, code, stderr);
        StringAssert.Contains(stdout, "180 s on battery have passed");
        StringAssert.Contains(stdout, "hook raid: /bin/true (at most 30 s)");
        StringAssert.Contains(stdout, "/etc/killpower");
        StringAssert.Contains(stdout, "run '/sbin/poweroff'");
    }

    [TestMethod]
    public void Killpower_does_nothing_without_the_flag_and_cuts_power_with_it()
    {
        string dir = Directory.CreateTempSubdirectory("upsagent-kp").FullName;
        string flag = Path.Combine(dir, "killpower");
        string conf = Config($"[ups ups]\n[shutdown]\npower-down-flag = {flag}\n");
        var (code, _, stderr) = AgentProcess.Run(null, "killpower", "--config", conf);
        Assert.AreEqual(1, code);
        StringAssert.Contains(stderr, "is not set");
        Assert.AreEqual(1, AgentProcess.Run(null, "killpower", "--check", "--config", conf).Code);

        File.WriteAllText(flag, "upsmon-shutdown-file\n");
        Assert.AreEqual(0, AgentProcess.Run(null, "killpower", "--check", "--config", conf).Code);
        string stdout;
        (code, stdout, stderr) = AgentProcess.Run(null, "killpower", "--config", conf);
        Assert.AreEqual(0, code, stderr);
        StringAssert.Contains(stdout, "ups: shutdown.return: Success");
    }

    [TestMethod]
    public void An_impossible_shutdown_configuration_stops_the_agent_at_start_with_78()
    {
        string conf = Config("[ups ups]\n[shutdown]\nmin-supplies = 5\n");
        var (code, _, stderr) = AgentProcess.Run(null, "run", "--config", conf, "--control-socket", "none", "--listen-nut", "none");
        Assert.AreEqual(78, code);
        StringAssert.Contains(stderr, "min-supplies 5");
    }
}
