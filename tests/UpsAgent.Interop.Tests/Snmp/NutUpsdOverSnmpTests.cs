using System.Globalization;
using UpsAgent.TestKit.Peers;

namespace UpsAgent.Interop.Tests.Snmp;

/// <summary>
/// The whole NUT path over SNMP: our agent, NUT's snmp-ups driver polling it (mibs=ietf and
/// mibs=auto), a real upsd publishing what the driver read, and upsc reading upsd. Through an
/// outage (on line, on battery, low battery) upsd must publish what our own state model holds.
/// </summary>
[TestClass]
[TestCategory("Interop")]
public sealed class NutUpsdOverSnmpTests
{
    /// <summary>Runtimes are whole minutes, so UPS-MIB's minutes lose nothing on the way back to seconds.</summary>
    private const string Outage = """
        battery.charge: 100
        battery.runtime: 2040
        battery.runtime.low: 180
        battery.voltage: 27.3
        input.voltage: 231.0
        output.voltage: 230.0
        ups.mfr: UpsAgent
        ups.model: SIM-1500 LI
        ups.status: OL CHRG
        TIMER 6
        ups.status: OB DISCHRG
        input.voltage: 0.0
        battery.charge: 60
        battery.runtime: 1200
        battery.voltage: 25.1
        TIMER 6
        ups.status: OB DISCHRG LB
        battery.charge: 8
        battery.runtime: 120
        battery.voltage: 22.4
        TIMER 6
        """;

    private static readonly TimeSpan PhaseTimeout = TimeSpan.FromSeconds(60);

    [TestMethod]
    [DataRow("ietf")]
    [DataRow("auto")]
    public async Task upsd_publishes_through_snmp_ups_what_our_state_model_holds_through_an_outage(string mibs)
    {
        if (!File.Exists(SnmpUpsdPeer.SnmpUps) || !NutPaths.Installed)
        {
            Assert.Inconclusive("NUT's snmp-ups (nut-snmp) or upsd (nut-server) is not installed");
        }

        await using SnmpAgentPeer agent = await SnmpAgentPeer.StartAsync(Outage, deviceFileName: "outage.seq");
        await using SnmpUpsdPeer nut = await SnmpUpsdPeer.StartAsync(agent.Target, mibs);

        foreach (string[] tokens in new[] { new[] { "OL" }, ["OB"], ["OB", "LB"] })
        {
            await PhaseAgreesAsync(agent, nut, tokens);
        }
    }

    /// <summary>
    /// Waits (bounded) until upsd shows exactly these status tokens and, in the same poll, the same
    /// charge, runtime and voltages as our own NUT server. The sequence loops, so a phase missed once comes back.
    /// </summary>
    private static async Task PhaseAgreesAsync(SnmpAgentPeer agent, SnmpUpsdPeer nut, string[] tokens)
    {
        DateTime deadline = DateTime.UtcNow + PhaseTimeout;
        string last = "nothing read";
        while (DateTime.UtcNow < deadline)
        {
            Dictionary<string, string> theirs = await nut.VariablesAsync();
            ToolResult upsc = await NutTool.RunAsync("upsc", $"ups@127.0.0.1:{agent.NutPort}");
            Dictionary<string, string> ours = SnmpUpsdPeer.Parse(upsc.StdOut);
            string? problem = Compare(theirs, ours, tokens);
            if (problem is null)
            {
                return;
            }

            last = problem;
            await Task.Delay(250);
        }

        Assert.Fail($"upsd never agreed with our state for {string.Join(' ', tokens)}: {last}\n{nut.Log}\n{agent.Log}");
    }

    private static string? Compare(Dictionary<string, string> theirs, Dictionary<string, string> ours, string[] tokens)
    {
        if (!theirs.TryGetValue("ups.status", out string? status) || !ours.TryGetValue("ups.status", out string? ourStatus))
        {
            return "no ups.status yet";
        }

        string[] theirTokens = status.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (theirTokens.Order().SequenceEqual(tokens.Order()) is false)
        {
            return $"upsd says '{status}'";
        }

        if (!tokens.All(t => ourStatus.Split(' ').Contains(t)))
        {
            return $"we say '{ourStatus}', upsd '{status}'";
        }

        foreach (string name in new[] { "battery.charge", "battery.runtime", "battery.voltage", "input.voltage", "output.voltage" })
        {
            if (!theirs.TryGetValue(name, out string? their) || !ours.TryGetValue(name, out string? our))
            {
                return $"{name} missing";
            }

            double a = double.Parse(their, CultureInfo.InvariantCulture);
            double b = double.Parse(our, CultureInfo.InvariantCulture);

            // Line voltages travel as whole RMS volts (RFC 1628), battery volts in tenths.
            double tolerance = name.StartsWith("battery.voltage", StringComparison.Ordinal) ? 0.05 : name.EndsWith("voltage", StringComparison.Ordinal) ? 0.5 : 0;
            if (Math.Abs(a - b) > tolerance)
            {
                return $"{name}: upsd {their}, ours {our}";
            }
        }

        return null;
    }
}
