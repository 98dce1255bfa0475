using UpsAgent.TestKit.Peers;
using static UpsAgent.Interop.Tests.ShutdownScenario;

namespace UpsAgent.Interop.Tests;

/// <summary>
/// upsagent's shutdown orchestration beside the real NUT 2.8.0 daemons on loopback, as in a rack where one
/// host owns the UPS (primary) and the others follow it down (secondaries). Every shutdown command is a
/// script that only records the time it ran.
/// </summary>
[TestClass]
[TestCategory("Interop")]
public sealed class ShutdownInteropTests
{
    private const string Ups = InteropSetup.UpsName;

    [TestMethod]
    public async Task Upsagent_secondary_leaves_and_shuts_down_when_the_real_upsmon_primary_sets_fsd()
    {
        using var scratch = new ScratchDirectory("shutdown-secondary-");
        await using var upsd = await InteropSetup.StartAsync(NutServerKind.Upsd, InteropSetup.OutageSequence);
        // FINALDELAY 1 on the primary, as upsmon.conf advises, so that its command runs after the secondaries'.
        await using var primary = UpsmonPeer.Start(upsd.Target(Ups), InteropSetup.Primary.Name, InteropSetup.Primary.Password,
            UpsmonOptions.Fast(UpsmonRole.Primary) with { HostSync = 10, FinalDelay = 1 });
        var config = ShutdownSection(scratch.ShutdownScript("agent"), null, "host-sync = 15")
            + MonitorSection("rack", upsd.Target(Ups), InteropSetup.Secondary.Name, InteropSetup.Secondary.Password, "secondary");
        await using var agent = await UpsAgentPeer.StartWithConfigAsync(new NutSetup([], []), config);

        Assert.IsTrue(await WaitForLoginsAsync(upsd.Port, Ups, 2, StartTimeout), $"{primary.Log}\n{agent.Log}\n{upsd.Log}");
        await using var logins = await LoginWatch.StartAsync(upsd.Port, Ups);

        var bothRan = await WaitForAsync(() => scratch.MarkerTime("agent") is not null && primary.ShutdownCommandRan, OutageTimeout);
        var agentRan = scratch.MarkerTime("agent");
        var primaryRan = primary.ShutdownTime;
        var why = $"agent ran {TimeFormatting.Of(agentRan)}, primary ran {TimeFormatting.Of(primaryRan)}; {logins}\n{primary.Log}\n{agent.Log}";
        System.Console.WriteLine(why);
        Assert.IsTrue(bothRan, why);

        // The agent went because the primary said so, not because it gave up waiting for it.
        StringAssert.Contains(agent.Output, "ForcedShutdown", why);
        // It left upsd (NUMLOGINS 2 -> 1) and the primary saw that before its host-sync ran out.
        var left = logins.FirstAtOrBelow(1, Ups);
        Assert.IsNotNull(left, why);
        Assert.IsTrue(left < primaryRan, why);
        Assert.IsTrue(agentRan < primaryRan, why);
        Assert.IsFalse(primary.Output.Contains("Host sync timer expired", StringComparison.OrdinalIgnoreCase), why);
        Assert.IsTrue(TimeFormatting.Seconds(primaryRan!.Value, left!.Value) < 5, $"the primary waited long after the secondary left; {why}");
        Assert.IsFalse(agent.HasExited, why);
    }

    [TestMethod]
    public async Task Upsagent_primary_sets_fsd_waits_for_the_real_upsmon_secondary_to_leave_then_shuts_down()
    {
        using var scratch = new ScratchDirectory("shutdown-primary-");
        var config = ShutdownSection(scratch.ShutdownScript("agent"), null, "allow-simulated = yes", "grace = 0", "host-sync = 10");
        await using var agent = await UpsAgentPeer.StartWithConfigAsync(InteropSetup.For(InteropSetup.OutageSequence), config);
        await using var secondary = UpsmonPeer.Start(((INutServerPeer)agent).Target(Ups), InteropSetup.Secondary.Name, InteropSetup.Secondary.Password,
            UpsmonOptions.Fast(UpsmonRole.Secondary));
        Assert.IsTrue(await WaitForLoginsAsync(agent.Port, Ups, 1, StartTimeout), $"{secondary.Log}\n{agent.Log}");
        await using var logins = await LoginWatch.StartAsync(agent.Port, Ups);

        var bothRan = await WaitForAsync(() => scratch.MarkerTime("agent") is not null && secondary.ShutdownCommandRan, OutageTimeout);
        var agentRan = scratch.MarkerTime("agent");
        var secondaryRan = secondary.ShutdownTime;
        var why = $"agent ran {TimeFormatting.Of(agentRan)}, secondary ran {TimeFormatting.Of(secondaryRan)}; {logins}\n{secondary.Log}\n{agent.Log}";
        System.Console.WriteLine(why);
        Assert.IsTrue(bothRan, why);

        Assert.IsTrue(secondary.Events.Any(e => e.StartsWith("FSD ", StringComparison.Ordinal)), $"upsmon did not see FSD; {why}");
        var left = logins.FirstAtOrBelow(0, Ups);
        Assert.IsNotNull(left, why);
        AssertSecondaryLeftAroundItsShutdown(secondaryRan!.Value, left!.Value, why);
        Assert.IsTrue(left <= agentRan, why);
        StringAssert.Contains(agent.Output, "all secondaries have logged out", why);
        Assert.IsTrue(TimeFormatting.Seconds(agentRan!.Value, secondaryRan!.Value) < 5, $"the agent waited long after the secondary left; {why}");
    }

    [TestMethod]
    public async Task Upsagent_primary_of_a_real_upsd_sets_fsd_there_and_waits_for_the_real_upsmon_secondary()
    {
        // upsagent in upsmon's place on the host that owns the UPS, the UPS itself behind upsd + dummy-ups.
        using var scratch = new ScratchDirectory("shutdown-remote-primary-");
        await using var upsd = await InteropSetup.StartAsync(NutServerKind.Upsd, InteropSetup.OutageSequence);
        await using var secondary = UpsmonPeer.Start(upsd.Target(Ups), InteropSetup.Secondary.Name, InteropSetup.Secondary.Password,
            UpsmonOptions.Fast(UpsmonRole.Secondary) with { HostSync = 30 });
        var config = ShutdownSection(scratch.ShutdownScript("agent"), null, "grace = 0", "host-sync = 10")
            + MonitorSection("rack", upsd.Target(Ups), InteropSetup.Primary.Name, InteropSetup.Primary.Password, "primary");
        await using var agent = await UpsAgentPeer.StartWithConfigAsync(new NutSetup([], []), config);
        Assert.IsTrue(await WaitForLoginsAsync(upsd.Port, Ups, 2, StartTimeout), $"{secondary.Log}\n{agent.Log}\n{upsd.Log}");
        await using var logins = await LoginWatch.StartAsync(upsd.Port, Ups);

        var bothRan = await WaitForAsync(() => scratch.MarkerTime("agent") is not null && secondary.ShutdownCommandRan, OutageTimeout);
        var agentRan = scratch.MarkerTime("agent");
        var secondaryRan = secondary.ShutdownTime;
        var why = $"agent ran {TimeFormatting.Of(agentRan)}, secondary ran {TimeFormatting.Of(secondaryRan)}; {logins}\n{secondary.Log}\n{agent.Log}";
        System.Console.WriteLine(why);
        Assert.IsTrue(bothRan, why);

        Assert.IsTrue(secondary.Events.Any(e => e.StartsWith("FSD ", StringComparison.Ordinal)), $"upsmon did not see FSD; {why}");
        var left = logins.FirstAtOrBelow(1, Ups);
        Assert.IsNotNull(left, why);
        AssertSecondaryLeftAroundItsShutdown(secondaryRan!.Value, left!.Value, why);
        Assert.IsTrue(left <= agentRan, why);
        StringAssert.Contains(agent.Output, "all secondaries have logged out", why);
        Assert.IsTrue(TimeFormatting.Seconds(agentRan!.Value, secondaryRan!.Value) < 5, $"the agent waited long after the secondary left; {why}");
    }

    [TestMethod]
    public async Task Upsagent_primary_shuts_down_after_host_sync_when_a_secondary_never_leaves()
    {
        const int hostSync = 4;
        using var scratch = new ScratchDirectory("shutdown-hostsync-");
        var config = ShutdownSection(scratch.ShutdownScript("agent"), null, "allow-simulated = yes", "grace = 0", $"host-sync = {hostSync}");
        await using var agent = await UpsAgentPeer.StartWithConfigAsync(InteropSetup.For(InteropSetup.OutageSequence), config);

        // A secondary that logs in and then hangs on: its host never goes down.
        await using var stubborn = await NutLineClient.ConnectAsync(agent.Port);
        Assert.AreEqual("OK", await stubborn.RequestAsync($"USERNAME {InteropSetup.Secondary.Name}"));
        Assert.AreEqual("OK", await stubborn.RequestAsync($"PASSWORD {InteropSetup.Secondary.Password}"));
        Assert.AreEqual("OK", await stubborn.RequestAsync($"LOGIN {Ups}"), agent.Log);

        DateTimeOffset? fsdSeen = null;
        var status = "";
        var fsd = await InteropSetup.EventuallyAsync(async () =>
        {
            status = await stubborn.RequestAsync($"GET VAR {Ups} ups.status");
            fsdSeen = DateTimeOffset.UtcNow;
            return status.Contains("FSD", StringComparison.Ordinal);
        }, OutageTimeout, TimeSpan.FromMilliseconds(50));
        Assert.IsTrue(fsd, $"last: {status}\n{agent.Log}");

        var ran = await WaitForAsync(() => scratch.MarkerTime("agent") is not null, TimeSpan.FromSeconds(hostSync + 10));
        var agentRan = scratch.MarkerTime("agent");
        var why = $"FSD seen {TimeFormatting.Of(fsdSeen)}, agent ran {TimeFormatting.Of(agentRan)}\n{agent.Log}";
        System.Console.WriteLine(why);
        Assert.IsTrue(ran, why);
        var waited = TimeFormatting.Seconds(agentRan!.Value, fsdSeen!.Value);
        // FSD was seen up to one 50 ms poll after it was set, so the wait measured can be that much short.
        Assert.IsTrue(waited >= hostSync - 0.2, $"ran {waited:0.00} s after FSD, before host-sync {hostSync} s; {why}");
        Assert.IsTrue(waited < hostSync + 3, $"ran {waited:0.00} s after FSD; {why}");
        StringAssert.Contains(agent.Output, $"host-sync {hostSync} s expired with 1 secondary login(s) left", why);
        Assert.AreEqual($"NUMLOGINS {Ups} 1", await stubborn.RequestAsync($"GET NUMLOGINS {Ups}"), "the stubborn secondary is still logged in");
    }

    [TestMethod]
    public async Task A_nut_notify_script_gets_the_same_types_and_ups_names_from_upsagent_as_from_upsmon()
    {
        using var scratch = new ScratchDirectory("shutdown-notify-");
        await using var upsd = await InteropSetup.StartAsync(NutServerKind.Upsd, InteropSetup.OutageSequence);
        var target = upsd.Target(Ups);

        // The test is the primary, so both secondaries see the same FSD at the same moment.
        await using var boss = await NutLineClient.ConnectAsync(upsd.Port);
        Assert.AreEqual("OK", await boss.RequestAsync($"USERNAME {InteropSetup.Primary.Name}"));
        Assert.AreEqual("OK", await boss.RequestAsync($"PASSWORD {InteropSetup.Primary.Password}"));
        Assert.AreEqual("OK", await boss.RequestAsync($"LOGIN {Ups}"));
        Assert.AreEqual("OK PRIMARY-GRANTED", await boss.RequestAsync($"PRIMARY {Ups}"));

        await using var upsmon = UpsmonPeer.Start(target, InteropSetup.Secondary.Name, InteropSetup.Secondary.Password,
            UpsmonOptions.Fast(UpsmonRole.Secondary) with { NotifyScript = NotifyScriptText, HostSync = 10 });
        var notify = scratch.WriteScript("nut-notify.sh", NotifyScriptText);
        var config = ShutdownSection(scratch.ShutdownScript("agent"), notify, "host-sync = 10")
            + MonitorSection("rack", target, InteropSetup.Secondary.Name, InteropSetup.Secondary.Password, "secondary");
        await using var agent = await UpsAgentPeer.StartWithConfigAsync(new NutSetup([], []), config);
        Assert.IsTrue(await WaitForLoginsAsync(upsd.Port, Ups, 3, StartTimeout), $"{upsmon.Log}\n{agent.Log}");

        string Logs() => $"upsmon: {Show(NotifyLog(upsmon.Directory))}\nupsagent: {Show(NotifyLog(scratch.Path))}\n{upsmon.Log}\n{agent.Log}";
        bool Saw(string directory, string type) => NotifyLog(directory).Any(e => e.Type == type);

        // FSD only once both have reported the low battery, so each sees LB and FSD on separate polls.
        Assert.IsTrue(await WaitForAsync(() => Saw(upsmon.Directory, "LOWBATT") && Saw(scratch.Path, "LOWBATT"), OutageTimeout), Logs());
        Assert.AreEqual("OK FSD-SET", await boss.RequestAsync($"FSD {Ups}"));
        Assert.IsTrue(await WaitForAsync(() => Saw(upsmon.Directory, "SHUTDOWN") && Saw(scratch.Path, "SHUTDOWN"), TimeSpan.FromSeconds(15)), Logs());
        // Both ran their commands too; let the notify commands started before that finish writing.
        Assert.IsTrue(await WaitForAsync(() => upsmon.ShutdownCommandRan && scratch.MarkerTime("agent") is not null, TimeSpan.FromSeconds(10)), Logs());
        await Task.Delay(300);

        var fromUpsmon = NotifyLog(upsmon.Directory).Where(e => OutageEvents.Contains(e.Type)).ToList();
        var fromAgent = NotifyLog(scratch.Path).Where(e => OutageEvents.Contains(e.Type)).ToList();
        System.Console.WriteLine(Logs());
        // upsmon's own order, from clients/upsmon.c: FSD is notified by the poll that sees it, SHUTDOWN by the
        // shutdown that follows. upsmon forks NOTIFYCMD without waiting, so those two, started microseconds
        // apart, can reach the log either way round; the agent runs its notify command in the background too.
        (string, string)[] expected = [("ONBATT", target), ("LOWBATT", target), ("FSD", target), ("SHUTDOWN", "")];
        foreach (var (who, events) in new[] { ("upsmon", fromUpsmon), ("upsagent", fromAgent) })
        {
            CollectionAssert.AreEqual(expected[..2], events.Take(2).ToList(), $"{who}; {Logs()}");
            CollectionAssert.AreEquivalent(expected[2..], events.Skip(2).ToList(), $"{who}; {Logs()}");
        }
        Assert.IsFalse(NotifyLog(scratch.Path).Any(e => e.Type is "COMMBAD" or "NOCOMM"), Logs());
    }

    [TestMethod]
    public async Task A_slow_notify_script_delays_neither_upsmon_nor_upsagent_on_the_way_down()
    {
        // upsmon forks NOTIFYCMD and never waits for it: a script that mails or pages slowly must not hold
        // the host up while the battery drains. Both secondaries get a script that takes 20 s per event.
        const string slowScript = "#!/bin/sh\nprintf '%s|%s|%s\\n' \"$NOTIFYTYPE\" \"$UPSNAME\" \"$1\" >> \"$(dirname \"$0\")/notify.log\"\nsleep 20\n";
        using var scratch = new ScratchDirectory("shutdown-slow-notify-");
        await using var upsd = await InteropSetup.StartAsync(NutServerKind.Upsd, InteropSetup.OutageSequence);
        var target = upsd.Target(Ups);
        await using var boss = await NutLineClient.ConnectAsync(upsd.Port);
        Assert.AreEqual("OK", await boss.RequestAsync($"USERNAME {InteropSetup.Primary.Name}"));
        Assert.AreEqual("OK", await boss.RequestAsync($"PASSWORD {InteropSetup.Primary.Password}"));
        Assert.AreEqual("OK", await boss.RequestAsync($"LOGIN {Ups}"));
        Assert.AreEqual("OK PRIMARY-GRANTED", await boss.RequestAsync($"PRIMARY {Ups}"));

        await using var upsmon = UpsmonPeer.Start(target, InteropSetup.Secondary.Name, InteropSetup.Secondary.Password,
            UpsmonOptions.Fast(UpsmonRole.Secondary) with { NotifyScript = slowScript, HostSync = 30 });
        var config = ShutdownSection(scratch.ShutdownScript("agent"), scratch.WriteScript("slow-notify.sh", slowScript), "host-sync = 30")
            + MonitorSection("rack", target, InteropSetup.Secondary.Name, InteropSetup.Secondary.Password, "secondary");
        await using var agent = await UpsAgentPeer.StartWithConfigAsync(new NutSetup([], []), config);
        Assert.IsTrue(await WaitForLoginsAsync(upsd.Port, Ups, 3, StartTimeout), $"{upsmon.Log}\n{agent.Log}");

        var status = "";
        Assert.IsTrue(await InteropSetup.EventuallyAsync(async () =>
        {
            status = await boss.RequestAsync($"GET VAR {Ups} ups.status");
            return status.Contains("LB", StringComparison.Ordinal);
        }, OutageTimeout), status);
        Assert.AreEqual("OK FSD-SET", await boss.RequestAsync($"FSD {Ups}"));
        var fsd = DateTimeOffset.UtcNow;

        // Both poll every second and have no final delay: a few seconds is plenty, 20 s would be the script.
        await WaitForAsync(() => upsmon.ShutdownCommandRan && scratch.MarkerTime("agent") is not null, TimeSpan.FromSeconds(8));
        var upsmonRan = upsmon.ShutdownTime;
        var agentRan = scratch.MarkerTime("agent");
        var why = $"FSD {TimeFormatting.Of(fsd)}, upsmon ran {TimeFormatting.Of(upsmonRan)}, upsagent ran {TimeFormatting.Of(agentRan)}\n"
            + $"upsagent notified: {Show(NotifyLog(scratch.Path))}\n{upsmon.Log}\n{agent.Log}";
        System.Console.WriteLine(why);
        Assert.IsNotNull(upsmonRan, $"upsmon itself waited for its notify script; {why}");
        Assert.IsNotNull(agentRan, $"upsagent waited for its notify script before shutting down; {why}");
    }

    // upsmon's unprivileged child may drop its connection a few milliseconds before the SHUTDOWNCMD its
    // privileged parent runs has written its marker (seen once: 3 ms), so the two are only required to
    // be close; what the primary is judged on is running after the secondary has gone.
    private static void AssertSecondaryLeftAroundItsShutdown(DateTimeOffset secondaryRan, DateTimeOffset left, string why) =>
        Assert.IsTrue(Math.Abs(TimeFormatting.Seconds(left, secondaryRan)) < 2, $"the secondary logged out far from its shutdown; {why}");
}
