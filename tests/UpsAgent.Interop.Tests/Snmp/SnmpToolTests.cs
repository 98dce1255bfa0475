using System.Globalization;
using UpsAgent.TestKit.Peers;

namespace UpsAgent.Interop.Tests.Snmp;

/// <summary>
/// net-snmp's command-line tools (Debian package snmp) against <c>upsagent run --listen-snmp</c>
/// on loopback. Values are compared with what the same agent's NUT server (upsc) reports, so both
/// faces of the one state model must agree.
/// </summary>
[TestClass]
[TestCategory("Interop")]
public sealed class SnmpToolTests
{
    private const string UpsBatteryStatus = ".1.3.6.1.2.1.33.1.2.1.0";
    private const string UpsEstimatedMinutesRemaining = ".1.3.6.1.2.1.33.1.2.3.0";
    private const string UpsEstimatedChargeRemaining = ".1.3.6.1.2.1.33.1.2.4.0";
    private const string UpsBatteryVoltage = ".1.3.6.1.2.1.33.1.2.5.0";
    private const string UpsInputVoltage = ".1.3.6.1.2.1.33.1.3.3.1.3.1";
    private const string UpsOutputSource = ".1.3.6.1.2.1.33.1.4.1.0";
    private const string UpsAlarmDescr = ".1.3.6.1.2.1.33.1.6.2.1.2";
    private const string SysObjectId = ".1.3.6.1.2.1.1.2.0";

    /// <summary>An outage at its end: on battery, low battery, little runtime left.</summary>
    private const string OnBatteryLow = """
        battery.charge: 8
        battery.runtime: 150
        battery.runtime.low: 180
        battery.voltage: 22.1
        device.mfr: UpsAgent
        device.model: SIM-1500 LI
        input.voltage: 0.0
        input.frequency: 0.0
        output.voltage: 229.0
        ups.load: 18
        ups.mfr: UpsAgent
        ups.model: SIM-1500 LI
        ups.status: OB DISCHRG LB
        """;

    [TestMethod]
    [DataRow("1")]
    [DataRow("2c")]
    public async Task snmpget_reads_the_values_upsc_reports(string version)
    {
        await using SnmpAgentPeer agent = await SnmpAgentPeer.StartAsync();

        ToolResult get = await agent.RunToolAsync("snmpget", "-v", version, "-c", "public", "-Oqv", agent.Target,
            SysObjectId, UpsBatteryStatus, UpsEstimatedChargeRemaining, UpsInputVoltage, UpsOutputSource, UpsEstimatedMinutesRemaining, UpsBatteryVoltage);

        Assert.AreEqual(0, get.ExitCode, $"{get}\n{agent.Log}");
        string[] values = Lines(get.StdOut);
        Assert.AreEqual(".1.3.6.1.2.1.33", values[0], "sysObjectID = upsMIB");
        Assert.AreEqual("2", values[1], "batteryNormal");
        Assert.AreEqual(await UpscAsync(agent, "battery.charge"), values[2]);
        Assert.AreEqual(Round(await UpscAsync(agent, "input.voltage"), 1), values[3]);
        StringAssert.StartsWith(await UpscAsync(agent, "ups.status"), "OL");
        Assert.AreEqual("3", values[4], "normal");
        Assert.AreEqual(Round(await UpscAsync(agent, "battery.runtime"), 1 / 60.0), values[5], "minutes");
        Assert.AreEqual(Round(await UpscAsync(agent, "battery.voltage"), 10), values[6], "tenths of a volt");
    }

    [TestMethod]
    public async Task On_battery_and_low_battery_read_as_the_ups_mib_says()
    {
        await using SnmpAgentPeer agent = await SnmpAgentPeer.StartAsync(OnBatteryLow);

        ToolResult get = await agent.RunToolAsync("snmpget", "-v", "1", "-c", "public", "-Oqv", agent.Target,
            UpsBatteryStatus, UpsOutputSource, UpsEstimatedChargeRemaining, UpsEstimatedMinutesRemaining);
        ToolResult alarms = await agent.RunToolAsync("snmpwalk", "-v", "2c", "-c", "public", "-Oq", agent.Target, UpsAlarmDescr);

        Assert.AreEqual(0, get.ExitCode, $"{get}\n{agent.Log}");
        CollectionAssert.AreEqual(new[] { "3", "5", "8", "3" }, Lines(get.StdOut), "batteryLow, battery, 8 %, 150 s = 3 min");
        Assert.AreEqual(0, alarms.ExitCode, alarms.ToString());
        string[] rows = Lines(alarms.StdOut);
        Assert.HasCount(2, rows, alarms.ToString());
        CollectionAssert.AreEquivalent(new[] { ".1.3.6.1.2.1.33.1.6.3.2", ".1.3.6.1.2.1.33.1.6.3.3" }, rows.Select(r => r.Split(' ')[1]).ToArray(),
            "upsAlarmOnBattery and upsAlarmLowBattery");
    }

    [TestMethod]
    public async Task snmpwalk_and_snmpbulkwalk_see_the_same_ordered_tree_and_end_cleanly()
    {
        await using SnmpAgentPeer agent = await SnmpAgentPeer.StartAsync();

        ToolResult walk1 = await agent.RunToolAsync("snmpwalk", "-v", "1", "-c", "public", "-Oq", agent.Target, ".1.3.6.1.2.1.33");
        ToolResult walk2 = await agent.RunToolAsync("snmpwalk", "-v", "2c", "-c", "public", "-Oq", agent.Target, ".1.3.6.1.2.1.33");
        ToolResult bulk = await agent.RunToolAsync("snmpbulkwalk", "-v", "2c", "-c", "public", "-Cr25", "-Oq", agent.Target, ".1.3.6.1.2.1.33");
        ToolResult everything = await agent.RunToolAsync("snmpbulkwalk", "-v", "2c", "-c", "public", "-Cr10", "-Oq", agent.Target, ".1");

        foreach (ToolResult result in new[] { walk1, walk2, bulk, everything })
        {
            Assert.AreEqual(0, result.ExitCode, $"{result}\n{agent.Log}");
            StringAssert.DoesNotMatch(result.AllOutput, new System.Text.RegularExpressions.Regex("OID not increasing|Timeout|Error"), result.ToString());
        }

        string[] v2 = Lines(walk2.StdOut);
        string[] names = v2.Select(NameOnly).ToArray();
        Assert.IsGreaterThan(30, names.Length, walk2.ToString());
        CollectionAssert.AreEqual(names.OrderBy(n => n, OidOrder.Instance).ToArray(), names, "walk order is OID order");
        Assert.AreEqual(names.Length, names.Distinct().Count(), "no instance twice");
        CollectionAssert.AreEqual(v2, Lines(bulk.StdOut), "snmpbulkwalk sees what snmpwalk sees");
        CollectionAssert.AreEqual(names, Lines(walk1.StdOut).Select(NameOnly).ToArray());

        // usmStats ends the view. snmpwalk and snmpbulkwalk print the v2c endOfMibView varbind they get there (the
        // requested name, as snmpd answers too); v1 runs into noSuchName, which it reports as "End of MIB".
        ToolResult end1 = await agent.RunToolAsync("snmpwalk", "-v", "1", "-c", "public", "-Oq", agent.Target, ".1.3.6.1.6.3.15");
        ToolResult end2 = await agent.RunToolAsync("snmpwalk", "-v", "2c", "-c", "public", "-Oq", agent.Target, ".1.3.6.1.6.3.15");
        StringAssert.Contains(Lines(end2.StdOut)[^1], "No more variables left in this MIB View", end2.ToString());
        Assert.AreEqual("End of MIB", Lines(end1.StdOut)[^1], end1.ToString());
        StringAssert.StartsWith(Lines(everything.StdOut)[0], ".1.3.6.1.2.1.1.1.0");
        StringAssert.StartsWith(Lines(everything.StdOut)[^1], ".1.3.6.1.6.3.15.1.1.6.0", "the view ends with usmStats, after UPS-MIB and the engine groups");
    }

    [TestMethod]
    public async Task Missing_objects_read_as_v1_noSuchName_and_v2c_exceptions_and_a_wrong_community_gets_silence()
    {
        await using SnmpAgentPeer agent = await SnmpAgentPeer.StartAsync();

        ToolResult v1 = await agent.RunToolAsync("snmpget", "-v", "1", "-c", "public", agent.Target, ".1.3.6.1.2.1.33.1.99.0");
        ToolResult v2 = await agent.RunToolAsync("snmpget", "-v", "2c", "-c", "public", agent.Target, ".1.3.6.1.2.1.33.1.99.0", ".1.3.6.1.2.1.1.5.1");
        ToolResult wrong = await agent.RunToolAsync("snmpget", "-v", "2c", "-c", "guess", "-t", "1", "-r", "0", agent.Target, ".1.3.6.1.2.1.1.5.0");
        ToolResult set = await agent.RunToolAsync("snmpset", "-v", "2c", "-c", "public", agent.Target, ".1.3.6.1.2.1.1.5.0", "s", "renamed");

        StringAssert.Contains(v1.AllOutput, "noSuchName", v1.ToString());
        StringAssert.Contains(v2.AllOutput, "No Such Object", v2.ToString());
        StringAssert.Contains(v2.AllOutput, "No Such Instance", v2.ToString());
        StringAssert.Contains(wrong.AllOutput, "Timeout", wrong.ToString());
        StringAssert.Contains(set.AllOutput, "noAccess", set.ToString());
    }

    [TestMethod]
    public async Task The_snmp_section_sets_communities_and_the_system_group()
    {
        // --listen-snmp replaces the section's listen lines; everything else comes from [snmp].
        const string Section = """
            [snmp]
            listen = 127.0.0.1:1
            community = watchers
            community = admins rw
            contact = ops@example.invalid
            location = rack A, room 2
            name = ups-gateway
            """;
        await using SnmpAgentPeer agent = await SnmpAgentPeer.StartAsync(extraConfig: Section, community: "watchers");

        ToolResult system = await agent.RunToolAsync("snmpget", "-v", "2c", "-c", "watchers", "-Oqv", agent.Target,
            ".1.3.6.1.2.1.1.4.0", ".1.3.6.1.2.1.1.5.0", ".1.3.6.1.2.1.1.6.0");
        ToolResult publicCommunity = await agent.RunToolAsync("snmpget", "-v", "2c", "-c", "public", "-t", "1", "-r", "0", agent.Target, ".1.3.6.1.2.1.1.5.0");
        ToolResult rwSet = await agent.RunToolAsync("snmpset", "-v", "2c", "-c", "admins", agent.Target, ".1.3.6.1.2.1.1.2.0", "o", ".1.3.6.1.4.1.1");

        Assert.AreEqual(0, system.ExitCode, $"{system}\n{agent.Log}");
        CollectionAssert.AreEqual(new[] { "\"ops@example.invalid\"", "\"ups-gateway\"", "\"rack A, room 2\"" }, Lines(system.StdOut));
        StringAssert.Contains(publicCommunity.AllOutput, "Timeout", "public is not configured here");
        StringAssert.Contains(rwSet.AllOutput, "notWritable", rwSet.ToString());
    }

    [TestMethod]
    public async Task snmpset_in_v1_and_v2c_with_an_rw_community_writes_through_to_the_nut_variable()
    {
        const string Section = """
            [snmp]
            listen = 127.0.0.1:1
            community = public
            community = admins rw
            """;
        const string UpsConfigLowBattTime = ".1.3.6.1.2.1.33.1.9.7.0";
        await using SnmpAgentPeer agent = await SnmpAgentPeer.StartAsync(extraConfig: Section);

        ToolResult readOnly = await agent.RunToolAsync("snmpset", "-v", "2c", "-c", "public", agent.Target, UpsConfigLowBattTime, "i", "3");
        ToolResult v1 = await agent.RunToolAsync("snmpset", "-v", "1", "-c", "admins", agent.Target, UpsConfigLowBattTime, "i", "4");
        Assert.AreEqual(0, v1.ExitCode, $"{v1}\n{agent.Log}");
        Assert.AreEqual("240", await agent.WaitForUpscAsync("battery.runtime.low", v => v == "240", TimeSpan.FromSeconds(10)), "4 minutes");
        ToolResult v2 = await agent.RunToolAsync("snmpset", "-v", "2c", "-c", "admins", agent.Target, UpsConfigLowBattTime, "i", "6");
        Assert.AreEqual(0, v2.ExitCode, $"{v2}\n{agent.Log}");
        Assert.AreEqual("360", await agent.WaitForUpscAsync("battery.runtime.low", v => v == "360", TimeSpan.FromSeconds(10)), "6 minutes");
        StringAssert.Contains(readOnly.AllOutput, "noAccess", readOnly.ToString());
    }

    private static async Task<string> UpscAsync(SnmpAgentPeer agent, string variable)
    {
        ToolResult upsc = await NutTool.RunAsync("upsc", $"ups@127.0.0.1:{agent.NutPort}", variable);
        Assert.AreEqual(0, upsc.ExitCode, upsc.ToString());
        return upsc.StdOut.Trim();
    }

    private static string Round(string value, double factor) =>
        ((int)Math.Round(double.Parse(value, CultureInfo.InvariantCulture) * factor, MidpointRounding.AwayFromZero)).ToString(CultureInfo.InvariantCulture);

    private static string[] Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string NameOnly(string line) => line.Split(' ')[0];

    private sealed class OidOrder : IComparer<string>
    {
        public static readonly OidOrder Instance = new();

        public int Compare(string? x, string? y) =>
            Arcs(x).AsSpan().SequenceCompareTo(Arcs(y));

        private static uint[] Arcs(string? oid) =>
            (oid ?? string.Empty).Split('.', StringSplitOptions.RemoveEmptyEntries).Select(a => uint.Parse(a, CultureInfo.InvariantCulture)).ToArray();
    }
}
