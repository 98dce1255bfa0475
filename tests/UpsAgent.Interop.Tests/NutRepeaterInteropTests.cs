using UpsAgent.TestKit.Peers;

namespace UpsAgent.Interop.Tests;

/// <summary>
/// driver = nut against the real upsd 2.8.0 (with dummy-ups): the agent repeats its UPS as "far", and
/// NUT's own upsc and upsrw, pointed at the agent, see what they see at upsd and change it there.
/// </summary>
[TestClass]
[TestCategory("Interop")]
public sealed class NutRepeaterInteropTests
{
    private static async Task<(INutServerPeer Upsd, UpsAgentPeer Agent)> StartAsync()
    {
        INutServerPeer upsd = await InteropSetup.StartAsync(NutServerKind.Upsd);
        try
        {
            string repeat = $"[ups far]\ndriver = nut\nport = {upsd.Target(InteropSetup.UpsName)}\nusername = admin\npassword = secret\npollinterval = 0.2\n";
            UpsAgentPeer agent = await UpsAgentPeer.StartWithConfigAsync(InteropSetup.For(InteropSetup.OnlineDevice), repeat);
            return (upsd, agent);
        }
        catch
        {
            await upsd.DisposeAsync();
            throw;
        }
    }

    private static SortedDictionary<string, string> Values(ToolResult upsc) =>
        new(upsc.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(": ", 2))
            .Where(parts => parts.Length == 2 && !parts[0].StartsWith("driver.", StringComparison.Ordinal))
            .ToDictionary(parts => parts[0], parts => parts[1]), StringComparer.Ordinal);

    [TestMethod]
    public async Task upsc_sees_the_same_ups_through_the_agent_as_at_upsd()
    {
        var (upsd, agent) = await StartAsync();
        await using (upsd)
        await using (agent)
        {
            string far = ((INutServerPeer)agent).Target("far");
            ToolResult? repeated = null;
            Assert.IsTrue(await InteropSetup.EventuallyAsync(async () =>
            {
                repeated = await NutTool.RunAsync("upsc", far);
                return repeated.ExitCode == 0;
            }, TimeSpan.FromSeconds(10)), $"{repeated}\n{agent.Log}");
            ToolResult direct = await NutTool.RunAsync("upsc", upsd.Target(InteropSetup.UpsName));
            Assert.AreEqual(0, direct.ExitCode, direct.ToString());

            CollectionAssert.AreEqual(Values(direct).ToList(), Values(repeated!).ToList(), $"upsd:\n{direct.StdOut}\nagent:\n{repeated!.StdOut}");
            StringAssert.Contains(repeated!.StdOut, "driver.name: nut\n");
            StringAssert.Contains(repeated.StdOut, $"driver.parameter.port: {upsd.Target(InteropSetup.UpsName)}\n");
        }
    }

    [TestMethod]
    public async Task upsrw_through_the_agent_changes_the_value_at_upsd_and_reports_its_outcome()
    {
        var (upsd, agent) = await StartAsync();
        await using (upsd)
        await using (agent)
        {
            string far = ((INutServerPeer)agent).Target("far");
            ToolResult? listing = null;
            Assert.IsTrue(await InteropSetup.EventuallyAsync(async () =>
            {
                listing = await NutTool.RunAsync("upsrw", far);
                return listing.ExitCode == 0 && listing.StdOut.Contains("[ups.id]", StringComparison.Ordinal);
            }, TimeSpan.FromSeconds(10)), $"{listing}\n{agent.Log}");
            StringAssert.Contains(listing!.StdOut, "Type: STRING", "the writable variable keeps its type from upsd");

            // -w: upsrw waits for the tracked result, which the agent has from upsd's own tracking.
            ToolResult set = await NutTool.RunAsync("upsrw", "-s", "ups.id=rack-r", "-u", "admin", "-p", "secret", "-w", far);
            Assert.AreEqual(0, set.ExitCode, $"{set}\n{agent.Log}\n{upsd.Log}");
            StringAssert.Contains(set.AllOutput, "SUCCESS", set.ToString());

            ToolResult? atUpsd = null;
            Assert.IsTrue(await InteropSetup.EventuallyAsync(async () =>
            {
                atUpsd = await NutTool.RunAsync("upsc", upsd.Target(InteropSetup.UpsName), "ups.id");
                return atUpsd.StdOut.Trim() == "rack-r";
            }, TimeSpan.FromSeconds(6)), $"{atUpsd}");
            Assert.IsTrue(await InteropSetup.EventuallyAsync(async () =>
                (await NutTool.RunAsync("upsc", far, "ups.id")).StdOut.Trim() == "rack-r", TimeSpan.FromSeconds(6)), "the agent's next poll shows it");
        }
    }

    [TestMethod]
    public async Task When_upsd_goes_away_upsc_gets_data_stale_from_the_agent()
    {
        var (upsd, agent) = await StartAsync();
        await using (agent)
        {
            string far = ((INutServerPeer)agent).Target("far");
            Assert.IsTrue(await InteropSetup.EventuallyAsync(async () =>
                (await NutTool.RunAsync("upsc", far, "ups.status")).ExitCode == 0, TimeSpan.FromSeconds(10)), agent.Log);

            await upsd.DisposeAsync();
            ToolResult? stale = null;
            Assert.IsTrue(await InteropSetup.EventuallyAsync(async () =>
            {
                stale = await NutTool.RunAsync("upsc", far, "ups.status");
                return stale.AllOutput.Contains("Data stale", StringComparison.Ordinal);
            }, TimeSpan.FromSeconds(10)), $"{stale}\n{agent.Log}");
            Assert.AreNotEqual(0, stale!.ExitCode);
            Assert.IsFalse(agent.HasExited, "the agent keeps running");
        }
    }
}
