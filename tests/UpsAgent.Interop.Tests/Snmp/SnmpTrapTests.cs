using UpsAgent.TestKit.Peers;

namespace UpsAgent.Interop.Tests.Snmp;

/// <summary>
/// net-snmp's snmptrapd (Debian package snmptrapd) on a free loopback port receives what the agent
/// sends while its simulated UPS goes through a short outage: v1 traps, v2c traps and v2c informs
/// (which snmptrapd acknowledges) of upsTrapOnBattery, upsTrapAlarmEntryAdded/Removed and upsTrapTestCompleted.
/// </summary>
[TestClass]
[TestCategory("Interop")]
public sealed class SnmpTrapTests
{
    private const string SnmpTrapd = "/usr/sbin/snmptrapd";

    /// <summary>A test finishes, then mains fail, the battery runs low and mains return; played once.</summary>
    private const string Outage = """
        battery.charge: 100
        battery.runtime: 2040
        battery.runtime.low: 180
        input.voltage: 230.0
        output.voltage: 230.0
        ups.mfr: UpsAgent
        ups.model: SIM-1500 LI
        ups.status: OL
        ups.test.result: In progress
        TIMER 3
        ups.test.result: Done and passed
        TIMER 2
        ups.status: OB DISCHRG
        input.voltage: 0.0
        battery.charge: 60
        TIMER 2
        ups.status: OB DISCHRG LB
        battery.charge: 8
        battery.runtime: 120
        TIMER 2
        ups.status: OL CHRG
        input.voltage: 230.0
        TIMER 600
        """;

    [TestMethod]
    public async Task snmptrapd_receives_traps_and_acknowledges_informs_through_an_outage()
    {
        if (!File.Exists(SnmpTrapd))
        {
            Assert.Inconclusive($"{SnmpTrapd} is not installed (Debian package snmptrapd)");
        }

        using var scratch = new ScratchDirectory("snmptrapd-");
        int port = FreeUdpPort.Next();
        string config = scratch.File("snmptrapd.conf");
        File.WriteAllText(config, "disableAuthorization yes\n");
        await using PeerProcess trapd = PeerProcess.Start("snmptrapd", SnmpTrapd,
            ["-f", "-Lo", "-C", "-c", config, "-On", "-m", "", "-F", "TRAP %P|%N|%q|%v\n", $"udp:127.0.0.1:{port}"],
            new Dictionary<string, string> { ["SNMP_PERSISTENT_DIR"] = scratch.Path });
        await WaitForAsync(() => trapd.Output.Contains("NET-SNMP version", StringComparison.Ordinal), TimeSpan.FromSeconds(10), () => trapd.Output);

        string section = $"""
            [snmp]
            trap = 1 v1c 127.0.0.1:{port}
            trap = 2c v2trap 127.0.0.1:{port}
            trap = inform v2inform 127.0.0.1:{port}
            """;
        await using SnmpAgentPeer agent = await SnmpAgentPeer.StartAsync(Outage, section, deviceFileName: "outage.seq", upsOptions: "mode = once");
        await agent.WaitForUpscAsync("ups.status", s => s.StartsWith("OL", StringComparison.Ordinal) && s.Contains("CHRG", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        await WaitForAsync(() => Traps(trapd).Count(t => t.Contains(".1.3.6.1.2.1.33.2.4", StringComparison.Ordinal)) >= 4, TimeSpan.FromSeconds(15),
            () => $"{trapd.Output}\n{agent.Log}");

        string[] traps = Traps(trapd);
        foreach (string community in new[] { "v2trap", "v2inform" })
        {
            string[] mine = traps.Where(t => t.Contains($"community {community}|", StringComparison.Ordinal)).ToArray();
            string all = string.Join('\n', mine);
            Assert.AreEqual(1, mine.Count(t => t.Contains("OID: .1.3.6.1.2.1.33.2.2", StringComparison.Ordinal)), $"upsTrapTestCompleted\n{all}");
            Assert.AreEqual(1, mine.Count(t => t.Contains("OID: .1.3.6.1.2.1.33.2.1\t", StringComparison.Ordinal)), $"upsTrapOnBattery\n{all}");
            Assert.AreEqual(1, mine.Count(t => t.Contains("OID: .1.3.6.1.2.1.33.2.3\t", StringComparison.Ordinal)
                && t.Contains("OID: .1.3.6.1.2.1.33.1.6.3.3", StringComparison.Ordinal)), $"upsTrapAlarmEntryAdded(upsAlarmLowBattery)\n{all}");
            Assert.AreEqual(2, mine.Count(t => t.Contains("OID: .1.3.6.1.2.1.33.2.4\t", StringComparison.Ordinal)), $"upsTrapAlarmEntryRemoved for on battery and low battery\n{all}");
            StringAssert.Contains(mine.Single(t => t.Contains("OID: .1.3.6.1.2.1.33.2.1\t", StringComparison.Ordinal)), ".1.3.6.1.2.1.33.1.2.3.0 = INTEGER: 34",
                "upsEstimatedMinutesRemaining: 2040 s");
        }

        Assert.IsTrue(traps.Any(t => t.Contains("TRAP, SNMP v1, community v1c|.1.3.6.1.2.1.33.2|.1|", StringComparison.Ordinal)),
            $"v1 upsTrapOnBattery as enterprise 1.3.6.1.2.1.33.2, specific 1\n{string.Join('\n', traps)}");
        Assert.IsTrue(traps.Any(t => t.StartsWith("TRAP INFORM", StringComparison.Ordinal)));
        Assert.DoesNotContain("not acknowledged", agent.Log, "snmptrapd answered every inform");
    }

    private static string[] Traps(PeerProcess trapd) =>
        trapd.Output.Split('\n').Where(l => l.StartsWith("TRAP ", StringComparison.Ordinal)).ToArray();

    private static async Task WaitForAsync(Func<bool> condition, TimeSpan timeout, Func<string> log)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"not seen within {timeout.TotalSeconds} s\n{log()}");
            }

            await Task.Delay(100);
        }
    }
}
