using UpsAgent.TestKit.Peers;

namespace UpsAgent.Interop.Tests.Snmp;

/// <summary>
/// NUT 2.8.0's snmp-ups driver (Debian package nut-snmp) pointed at our agent, run in its dump mode
/// (<c>-d 1</c>: one full update, print every variable, exit), with the ietf mapping named and found
/// by sysObjectID. What it publishes must be what our state model holds, in NUT's units again.
/// </summary>
[TestClass]
[TestCategory("Interop")]
public sealed class NutSnmpUpsTests
{
    private const string SnmpUps = "/lib/nut/snmp-ups";

    [TestMethod]
    [DataRow("ietf")]
    [DataRow("auto")]
    public async Task snmp_ups_publishes_the_status_charge_runtime_and_voltages_our_state_holds(string mibs)
    {
        await using SnmpAgentPeer agent = await SnmpAgentPeer.StartAsync();

        Dictionary<string, string> nut = await DumpAsync(agent, mibs);

        Assert.AreEqual("OL", nut["ups.status"]);
        Assert.AreEqual(await UpscAsync(agent, "battery.charge"), nut["battery.charge"]);
        Assert.AreEqual(await UpscAsync(agent, "battery.runtime"), nut["battery.runtime"], "2040 s = 34 min, back to seconds");
        Assert.AreEqual(double.Parse(await UpscAsync(agent, "battery.voltage"), System.Globalization.CultureInfo.InvariantCulture),
            double.Parse(nut["battery.voltage"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.AreEqual("231", nut["input.voltage"], "231.4 V as whole RMS volts");
        Assert.AreEqual("230", nut["output.voltage"]);
        Assert.AreEqual($"ietf MIB 1.54", nut["driver.version.data"]);
    }

    [TestMethod]
    public async Task snmp_ups_sees_on_battery_and_low_battery()
    {
        const string OnBatteryLow = """
            battery.charge: 8
            battery.runtime: 180
            battery.runtime.low: 180
            battery.voltage: 22.1
            input.voltage: 0.0
            output.voltage: 229.0
            ups.mfr: UpsAgent
            ups.model: SIM-1500 LI
            ups.status: OB DISCHRG LB
            """;
        await using SnmpAgentPeer agent = await SnmpAgentPeer.StartAsync(OnBatteryLow);

        Dictionary<string, string> nut = await DumpAsync(agent, "ietf");

        CollectionAssert.AreEquivalent(new[] { "OB", "LB" }, nut["ups.status"].Split(' '), nut["ups.status"]);
        Assert.AreEqual("8", nut["battery.charge"]);
        Assert.AreEqual("180", nut["battery.runtime"]);
        Assert.AreEqual("0", nut["input.voltage"]);
    }

    private static async Task<Dictionary<string, string>> DumpAsync(SnmpAgentPeer agent, string mibs)
    {
        if (!File.Exists(SnmpUps))
        {
            Assert.Inconclusive($"{SnmpUps} is not installed (Debian package nut-snmp)");
        }

        // As root the driver drops to user nut, which must be able to write its state directory.
        using var state = new ScratchDirectory("snmp-ups-state-");
        File.SetUnixFileMode(state.Path, (UnixFileMode)0b111_111_111);
        ToolResult dump = await NutTool.RunProgramAsync("/usr/bin/env", "snmp-ups",
            [$"NUT_STATEPATH={state.Path}", SnmpUps, "-s", "probe", "-x", $"port={agent.Target}", "-x", $"mibs={mibs}", "-d", "1"],
            TimeSpan.FromSeconds(60));
        Assert.AreEqual(0, dump.ExitCode, $"{dump}\n{agent.Log}");
        var values = new Dictionary<string, string>();
        foreach (string line in dump.StdOut.Split('\n'))
        {
            int colon = line.IndexOf(": ", StringComparison.Ordinal);
            if (colon > 0 && line[..colon].All(c => c == '.' || char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                values[line[..colon]] = line[(colon + 2)..].Trim();
            }
        }

        Assert.IsTrue(values.ContainsKey("ups.status"), dump.ToString());
        return values;
    }

    private static async Task<string> UpscAsync(SnmpAgentPeer agent, string variable)
    {
        ToolResult upsc = await NutTool.RunAsync("upsc", $"ups@127.0.0.1:{agent.NutPort}", variable);
        Assert.AreEqual(0, upsc.ExitCode, upsc.ToString());
        return upsc.StdOut.Trim();
    }
}
