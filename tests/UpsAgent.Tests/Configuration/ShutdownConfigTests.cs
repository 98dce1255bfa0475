using UpsAgent.Configuration;
using UpsAgent.Hosting;
using UpsAgent.Shutdown.Notifications;
using UpsAgent.Shutdown.Policy;

namespace UpsAgent.Tests.Configuration;

[TestClass]
public sealed class ShutdownConfigTests
{
    private const string Full = """
        [ups local]
        [shutdown]
        command = "/sbin/shutdown -h +0"
        power-down-flag = /etc/killpower
        notify-command = /usr/local/bin/notify.sh
        notify-flag = ONBATT SYSLOG+EXEC
        notify-flag = CAL IGNORE
        notify-message = LOWBATT "Battery of %s is low"
        min-supplies = 2
        grace = 10
        on-battery-limit = 180
        runtime-below = 300
        charge-below = 25.5
        host-sync = 20
        dead-time = 30
        final-delay = 3
        poll-interval = 2
        alert-poll-interval = 1
        allow-simulated = yes
        hook = raid 30 /usr/local/bin/quiesce --all
        timer-command = /usr/local/bin/timer.sh
        at = ONBATT * START-TIMER onbatt 300
        at = ONLINE * CANCEL-TIMER onbatt
        at = LOWBATT ups@nas:3493 EXECUTE lowbatt-nas
        [monitor local]
        ups = local
        [monitor nas]
        ups = ups@nas.example:3494
        user = monuser
        password = secret
        power-value = 1
        """;

    [TestMethod]
    public void Every_shutdown_key_is_read()
    {
        AgentConfig c = AgentConfigLoader.Load(Full, "s.conf");
        ShutdownConfig s = c.Shutdown;
        Assert.AreEqual("/sbin/shutdown -h +0", s.Command);
        Assert.AreEqual("/etc/killpower", s.PowerDownFlag);
        Assert.AreEqual(NotifyFlags.Syslog | NotifyFlags.Exec, s.Notify.FlagsFor(NotifyType.OnBattery));
        Assert.AreEqual(NotifyFlags.Ignore, s.Notify.FlagsFor(NotifyType.Calibrating));
        Assert.AreEqual("Battery of %s is low", s.Notify.MessageFor(NotifyType.LowBattery));
        Assert.AreEqual(2, s.Policy.MinSupplies);
        Assert.AreEqual(TimeSpan.FromSeconds(10), s.Policy.GracePeriod);
        Assert.AreEqual(TimeSpan.FromSeconds(180), s.Policy.OnBatteryLimit);
        Assert.AreEqual(TimeSpan.FromSeconds(300), s.Policy.RuntimeBelow);
        Assert.AreEqual(25.5, s.Policy.ChargeBelowPercent);
        Assert.AreEqual(TimeSpan.FromSeconds(20), s.Policy.HostSync);
        Assert.AreEqual(TimeSpan.FromSeconds(30), s.Policy.DeadTime);
        Assert.AreEqual(TimeSpan.FromSeconds(3), s.Policy.FinalDelay);
        Assert.IsTrue(s.AllowSimulated);
        Assert.AreEqual(new HookConfig("raid", TimeSpan.FromSeconds(30), "/usr/local/bin/quiesce --all"), s.Hooks.Single());
        Assert.AreEqual(3, s.TimerRules.Count);
        Assert.AreEqual("lowbatt-nas", s.TimerRules[2].Command);

        Assert.AreEqual(2, c.Monitors.Count);
        Assert.IsTrue(c.Monitors[0].IsLocal);
        Assert.AreEqual(MonitorRole.Primary, c.Monitors[0].Role);
        MonitorConfig nas = c.Monitors[1];
        Assert.AreEqual(("ups", "nas.example", 3494, MonitorRole.Secondary), (nas.Ups, nas.Host, nas.Port, nas.Role));
        ShutdownSettings policy = ShutdownFactory.PolicySettings(c);
        CollectionAssert.AreEqual(new[] { "local", "ups@nas.example:3494" }, policy.Supplies.Select(p => p.Name).ToArray());
    }

    [TestMethod]
    public void Without_monitor_sections_every_local_ups_is_its_own_primary()
    {
        AgentConfig c = AgentConfigLoader.Load("[ups a]\n[ups b]\n", "t.conf");
        IReadOnlyList<MonitorConfig> monitors = ShutdownFactory.Monitors(c);
        Assert.AreEqual(2, monitors.Count);
        Assert.IsTrue(monitors.All(m => m.IsLocal && m.Role == MonitorRole.Primary && m.PowerValue == 1));
    }

    [TestMethod]
    public void A_secondary_host_needs_no_local_ups()
    {
        AgentConfig c = AgentConfigLoader.Load("[nut]\nlisten = none\n[monitor office]\nups = ups@10.0.0.5\nuser = u\npassword = p\n", "t.conf");
        Assert.AreEqual(0, c.Ups.Count);
        Assert.AreEqual(3493, c.Monitors.Single().Port);
    }

    [TestMethod]
    [DataRow("[ups a]\n[shutdown]\nfrob = 1\n", "t.conf:3: frob:", "unknown key in [shutdown]")]
    [DataRow("[ups a]\n[shutdown]\ngrace = soon\n", "t.conf:3: grace:", "whole number")]
    [DataRow("[ups a]\n[shutdown]\ncharge-below = 150\n", "t.conf:3: charge-below:", "percentage")]
    [DataRow("[ups a]\n[shutdown]\nnotify-flag = ONBAT SYSLOG\n", "t.conf:3: notify-flag:", "not a notification type")]
    [DataRow("[ups a]\n[shutdown]\nnotify-flag = ONBATT LOUD\n", "t.conf:3: notify-flag:", "SYSLOG, WALL, EXEC or IGNORE")]
    [DataRow("[ups a]\n[shutdown]\nhook = raid soon x\n", "t.conf:3: hook:", "NAME SECONDS COMMAND")]
    [DataRow("[ups a]\n[shutdown]\nat = ONBATT * START-TIMER x\n", "t.conf:3: at:", "START-TIMER takes")]
    [DataRow("[ups a]\n[shutdown]\nat = ONBATT * START-TIMER x 5\n", "t.conf:3: at:", "timer-command")]
    [DataRow("[ups a]\n[shutdown]\nallow-simulated = maybe\n", "t.conf:3: allow-simulated:", "yes or no")]
    [DataRow("[ups a]\n[monitor m]\nups = nosuch\n", "t.conf:3: ups:", "no [ups nosuch]")]
    [DataRow("[ups a]\n[monitor m]\nups = ups@host:99999\nuser = u\npassword = p\n", "t.conf:3: ups:", "not a port")]
    [DataRow("[ups a]\n[monitor m]\nups = ups@host\n", "t.conf:2:", "needs user and password")]
    [DataRow("[ups a]\n[monitor m]\nups = a\nrole = boss\n", "t.conf:4: role:", "primary or secondary")]
    [DataRow("[ups a]\n[monitor m]\nups = a\n[monitor M]\nups = a\n", "t.conf:4:", "configured twice")]
    [DataRow("[ups a]\n[monitor m]\nups = a\ntls = required\n", "t.conf:4: tls:", "for a UPS on another NUT server")]
    [DataRow("[ups a]\n[monitor m]\nups = ups@host\nuser = u\npassword = p\ntls = sometimes\n", "t.conf:6: tls:", "try, required or off")]
    [DataRow("[ups a]\n[monitor m]\nups = ups@host\nuser = u\npassword = p\ntls-ca = /etc/passwd\n", "t.conf:6: tls-ca:", "add tls-verify = yes")]
    public void Shutdown_mistakes_name_file_line_and_key(string text, string location, string problem)
    {
        var e = Assert.ThrowsExactly<ConfigException>(() => AgentConfigLoader.Load(text, "t.conf"));
        StringAssert.StartsWith(e.Message, location);
        StringAssert.Contains(e.Message, problem);
    }

    [TestMethod]
    public void Impossible_thresholds_are_configuration_errors_at_start_up()
    {
        AgentConfig c = AgentConfigLoader.Load("[ups a]\n[shutdown]\nmin-supplies = 3\n", "t.conf");
        var e = Assert.ThrowsExactly<ConfigException>(() => ShutdownFactory.Validate(c));
        StringAssert.Contains(e.Message, "min-supplies 3");
    }

    [TestMethod]
    public void A_simulated_ups_never_runs_the_command_unless_allowed()
    {
        AgentConfig c = AgentConfigLoader.Load("[ups a]\n[shutdown]\ncommand = poweroff\n", "t.conf");
        var decision = new ShutdownDecision(TimeSpan.Zero, ShutdownReason.LowBattery, "a", "low", []);
        StringAssert.Contains(ShutdownFactory.DryRunReason(c, decision), "simulated");
        c.Shutdown.AllowSimulated = true;
        Assert.IsNull(ShutdownFactory.DryRunReason(c, decision));
    }
}
