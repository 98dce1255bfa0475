using UpsAgent.TestKit.Peers;
using static UpsAgent.Interop.Tests.ShutdownScenario;

namespace UpsAgent.Interop.Tests;

/// <summary>
/// What upsagent's shutdown monitor does with servers it cannot use and settings that cannot work: say so
/// clearly, and keep protecting the host with what it still knows.
/// </summary>
[TestClass]
[TestCategory("Interop")]
public sealed class ShutdownBadInputTests
{
    private const string Ups = InteropSetup.UpsName;

    [TestMethod]
    public async Task Shutdown_unreachable_server_and_wrong_password_are_reported_and_the_local_ups_still_protects_the_host()
    {
        using var scratch = new ScratchDirectory("shutdown-bad-monitors-");
        await using var upsd = await InteropSetup.StartAsync(NutServerKind.Upsd, InteropSetup.OnlineDevice);
        var nobody = FreeTcpPort.Next();
        // The remote UPSes are watched only (power value 0); the host runs on the local one.
        var config = ShutdownSection(scratch.ShutdownScript("agent"), null, "allow-simulated = yes", "grace = 0", "host-sync = 2")
            + "[monitor local]\nups = ups\npower-value = 1\n"
            + MonitorSection("nowhere", $"{Ups}@127.0.0.1:{nobody}", InteropSetup.Secondary.Name, InteropSetup.Secondary.Password, "secondary", 0)
            + MonitorSection("badpass", upsd.Target(Ups), InteropSetup.Secondary.Name, "wrong-password", "secondary", 0);
        await using var agent = await UpsAgentPeer.StartWithConfigAsync(InteropSetup.For(InteropSetup.OutageSequence), config);

        var reported = await WaitForAsync(
            () => agent.Output.Contains($"127.0.0.1:{nobody}", StringComparison.Ordinal) && agent.Output.Contains("ACCESS-DENIED", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10));
        Assert.IsTrue(reported, $"log names neither the unreachable server nor the refused login:\n{agent.Log}");

        var status = await agent.ReplAsync("status");
        System.Console.WriteLine(status);
        var unreachable = status.StdOut.Split('\n').Where(l => l.Contains("(unreachable", StringComparison.Ordinal)).ToList();
        Assert.AreEqual(2, unreachable.Count, $"{status}\n{agent.Log}");
        Assert.IsTrue(unreachable.Any(l => l.Contains($"127.0.0.1:{nobody}", StringComparison.Ordinal)), status.ToString());
        Assert.IsTrue(unreachable.Any(l => l.Contains("ACCESS-DENIED", StringComparison.Ordinal)), status.ToString());
        Assert.IsFalse(agent.HasExited, agent.Log);

        // The local UPS's outage still ends in the shutdown command.
        Assert.IsTrue(await WaitForAsync(() => scratch.MarkerTime("agent") is not null, OutageTimeout), agent.Log);
        StringAssert.Contains(agent.Output, "LowBattery", agent.Log);
    }

    [TestMethod]
    public async Task Shutdown_server_lost_while_on_battery_counts_as_critical_after_dead_time()
    {
        const int deadTime = 3;
        using var scratch = new ScratchDirectory("shutdown-dead-");
        INutServerPeer upsd = await UpsdPeer.StartAsync(InteropSetup.For(Path.Combine(AppContext.BaseDirectory, "Devices", "onbattery.seq")));
        var upsdStopped = false;
        UpsAgentPeer? agent = null;
        try
        {
            var notify = scratch.WriteScript("nut-notify.sh", NotifyScriptText);
            var config = ShutdownSection(scratch.ShutdownScript("agent"), notify, "grace = 0", $"dead-time = {deadTime}", "host-sync = 15")
                + MonitorSection("rack", upsd.Target(Ups), InteropSetup.Secondary.Name, InteropSetup.Secondary.Password, "secondary");
            agent = await UpsAgentPeer.StartWithConfigAsync(new NutSetup([], []), config);
            Assert.IsTrue(await WaitForAsync(() => NotifyLog(scratch.Path).Any(e => e.Type == "ONBATT"), TimeSpan.FromSeconds(15)),
                $"{Show(NotifyLog(scratch.Path))}\n{agent.Log}");
            Assert.IsNull(scratch.MarkerTime("agent"), "on battery alone is no reason to shut down");

            await upsd.DisposeAsync();
            upsdStopped = true;
            var killed = DateTimeOffset.UtcNow;

            var ran = await WaitForAsync(() => scratch.MarkerTime("agent") is not null, TimeSpan.FromSeconds(deadTime + 10));
            var agentRan = scratch.MarkerTime("agent");
            var why = $"upsd killed {TimeFormatting.Of(killed)}, agent ran {TimeFormatting.Of(agentRan)}; notify: {Show(NotifyLog(scratch.Path))}\n{agent.Log}";
            System.Console.WriteLine(why);
        Assert.IsTrue(ran, why);
            var after = TimeFormatting.Seconds(agentRan!.Value, killed);
            // The last good poll was at most one poll interval (1 s) before the kill.
            Assert.IsTrue(after >= deadTime - 1, $"ran {after:0.00} s after the server went, before dead-time; {why}");
            Assert.IsTrue(after < deadTime + 4, $"ran {after:0.00} s after the server went; {why}");
            StringAssert.Contains(agent.Output, "DeadOnBattery", why);
            var types = NotifyLog(scratch.Path).Select(e => e.Type).ToList();
            Assert.IsTrue(types.IndexOf("COMMBAD") >= 0 && types.IndexOf("COMMBAD") < types.IndexOf("SHUTDOWN"), why);
            Assert.IsFalse(agent.HasExited, why);
        }
        finally
        {
            if (!upsdStopped)
            {
                await upsd.DisposeAsync();
            }
            if (agent is not null)
            {
                await agent.DisposeAsync();
            }
        }
    }

    [TestMethod]
    [DataRow("run")]
    [DataRow("check")]
    public async Task Shutdown_min_supplies_above_the_power_values_is_a_configuration_error(string verb)
    {
        using var scratch = new ScratchDirectory("shutdown-impossible-");
        var config = Path.Combine(scratch.Path, "upsagent.conf");
        await File.WriteAllTextAsync(config,
            $"[nut]\nlisten = none\n\n[ups ups]\ndriver = simulated\nfile = {InteropSetup.OnlineDevice}\n\n"
            + ShutdownSection(scratch.ShutdownScript("agent"), null, "min-supplies = 2"));

        string[] arguments = verb == "run"
            ? ["run", "--config", config, "--control-socket", scratch.File("ctl.sock")]
            : ["check", "--config", config];
        var result = await UpsAgentPeer.RunCommandAsync(arguments, TimeSpan.FromSeconds(20));

        Assert.IsFalse(result.TimedOut, result.ToString());
        Assert.AreEqual(78, result.ExitCode, result.ToString());
        StringAssert.Contains(result.StdErr, "min-supplies 2", result.ToString());
        StringAssert.Contains(result.StdErr, config, result.ToString());
        Assert.IsNull(scratch.MarkerTime("agent"), result.ToString());
    }
}
