using UpsAgent.TestKit.Peers;

namespace UpsAgent.Interop.Tests.Snmp;

/// <summary>
/// net-snmp's tools in SNMPv3 against <c>upsagent run --listen-snmp</c> with users from [snmp]:
/// authPriv with SHA/AES and SHA-256/AES, authNoPriv, wrong pass phrases and a wrong engine time,
/// answered as snmpd answers them (shared/specs/snmp.md sections 3.7 and 4.1).
/// </summary>
[TestClass]
[TestCategory("Interop")]
public sealed class SnmpV3ToolTests
{
    private const string UpsEstimatedChargeRemaining = ".1.3.6.1.2.1.33.1.2.4.0";
    private const string UpsConfigLowBattTime = ".1.3.6.1.2.1.33.1.9.7.0";
    private const string UsmStatsNotInTimeWindows = ".1.3.6.1.6.3.15.1.1.2.0";

    /// <param name="stateFile">Relative paths are relative to the config file, i.e. the agent's private directory.</param>
    private static string Section(string stateFile = "snmp-engine") => $"""
        [snmp]
        user = upsuser SHA authpass123 AES privpass123
        user = upsuser256 SHA-256 authpass256 AES privpass256 rw
        user = upsauth SHA authonly123
        state-file = {stateFile}
        """;

    private static string[] AuthPriv(string user, string auth, string authPassword, string privPassword) =>
        ["-v3", "-l", "authPriv", "-u", user, "-a", auth, "-A", authPassword, "-x", "AES", "-X", privPassword, "-r", "0", "-t", "1"];

    private static readonly string[] Sha = AuthPriv("upsuser", "SHA", "authpass123", "privpass123");
    private static readonly string[] Sha256 = AuthPriv("upsuser256", "SHA-256", "authpass256", "privpass256");
    private static readonly string[] AuthOnly = ["-v3", "-l", "authNoPriv", "-u", "upsauth", "-a", "SHA", "-A", "authonly123", "-r", "0", "-t", "1"];

    [TestMethod]
    public async Task snmpget_reads_with_authPriv_sha_and_sha256_and_with_authNoPriv()
    {
        await using SnmpAgentPeer agent = await StartAsync();
        string charge = await UpscAsync(agent, "battery.charge");

        foreach (string[] security in new[] { Sha, Sha256, AuthOnly })
        {
            ToolResult get = await agent.RunToolAsync("snmpget", [.. security, "-Oqv", agent.Target, UpsEstimatedChargeRemaining]);
            Assert.AreEqual(0, get.ExitCode, $"{string.Join(' ', security)}\n{get}\n{agent.Log}");
            Assert.AreEqual(charge, get.StdOut.Trim());
        }
    }

    [TestMethod]
    public async Task snmpwalk_and_snmpbulkwalk_over_authPriv_see_what_v2c_sees()
    {
        await using SnmpAgentPeer agent = await StartAsync();

        ToolResult v2c = await agent.RunToolAsync("snmpbulkwalk", "-v", "2c", "-c", "public", "-Cr25", "-Oq", agent.Target, ".1.3.6.1.2.1.33");
        ToolResult walk = await agent.RunToolAsync("snmpwalk", [.. Sha, "-Oq", agent.Target, ".1.3.6.1.2.1.33"]);
        ToolResult bulk = await agent.RunToolAsync("snmpbulkwalk", [.. Sha256, "-Cr25", "-Oq", agent.Target, ".1.3.6.1.2.1.33"]);

        foreach (ToolResult result in new[] { v2c, walk, bulk })
        {
            Assert.AreEqual(0, result.ExitCode, $"{result}\n{agent.Log}");
        }

        // Values that move with time (seconds on battery, uptime stamps) are the same in a quiet simulated UPS.
        CollectionAssert.AreEqual(Lines(v2c.StdOut), Lines(walk.StdOut));
        CollectionAssert.AreEqual(Lines(v2c.StdOut), Lines(bulk.StdOut));
        Assert.IsGreaterThan(30, Lines(bulk.StdOut).Length);
    }

    [TestMethod]
    public async Task snmpset_writes_with_the_rw_user_and_is_refused_for_the_read_only_one()
    {
        await using SnmpAgentPeer agent = await StartAsync();

        ToolResult refused = await agent.RunToolAsync("snmpset", [.. Sha, agent.Target, UpsConfigLowBattTime, "i", "5"]);
        ToolResult accepted = await agent.RunToolAsync("snmpset", [.. Sha256, agent.Target, UpsConfigLowBattTime, "i", "5"]);

        StringAssert.Contains(refused.AllOutput, "noAccess", refused.ToString());
        Assert.AreEqual(0, accepted.ExitCode, $"{accepted}\n{agent.Log}");
        Assert.AreEqual("300", await agent.WaitForUpscAsync("battery.runtime.low", v => v == "300", TimeSpan.FromSeconds(10)), "5 minutes");
    }

    [TestMethod]
    public async Task Wrong_pass_phrases_and_unknown_users_fail_as_against_snmpd()
    {
        await using SnmpAgentPeer agent = await StartAsync();

        ToolResult wrongAuth = await agent.RunToolAsync("snmpget", [.. AuthPriv("upsuser", "SHA", "authpass999", "privpass123"), agent.Target, UpsEstimatedChargeRemaining]);
        ToolResult unknown = await agent.RunToolAsync("snmpget", [.. AuthPriv("nobody", "SHA", "authpass123", "privpass123"), agent.Target, UpsEstimatedChargeRemaining]);
        ToolResult wrongLevel = await agent.RunToolAsync("snmpget", [.. AuthPriv("upsauth", "SHA", "authonly123", "privpass123"), agent.Target, UpsEstimatedChargeRemaining]);
        ToolResult counter = await agent.RunToolAsync("snmpget", [.. AuthOnly, "-Oqv", agent.Target, ".1.3.6.1.6.3.15.1.1.5.0"]);

        StringAssert.Contains(wrongAuth.AllOutput, "Authentication failure", wrongAuth.ToString());
        StringAssert.Contains(unknown.AllOutput, "Unknown user name", unknown.ToString());
        StringAssert.Contains(wrongLevel.AllOutput, "Unsupported security level", wrongLevel.ToString());
        Assert.AreEqual("1", counter.StdOut.Trim(), $"usmStatsWrongDigests\n{counter}");
    }

    [TestMethod]
    public async Task A_wrong_engine_time_is_resynchronised_through_the_not_in_time_window_report()
    {
        await using SnmpAgentPeer agent = await StartAsync();
        string engineId = File.ReadAllLines(Path.Combine(agent.Directory, "snmp-engine"))
            .Single(l => l.StartsWith("engine-id", StringComparison.Ordinal)).Split('=')[1].Trim();

        // -e skips discovery and -Z makes the tool believe boots 99, time 5: the agent answers with an
        // authenticated usmStatsNotInTimeWindows Report, and the tool retries with the right values.
        ToolResult get = await agent.RunToolAsync("snmpget", [.. Sha, "-e", "0x" + engineId, "-Z", "99,5", "-Oqv", agent.Target, UpsEstimatedChargeRemaining]);
        ToolResult counter = await agent.RunToolAsync("snmpget", [.. AuthOnly, "-Oqv", agent.Target, UsmStatsNotInTimeWindows]);

        Assert.AreEqual(0, get.ExitCode, $"{get}\n{agent.Log}");
        Assert.AreEqual(await UpscAsync(agent, "battery.charge"), get.StdOut.Trim());
        Assert.AreEqual("1", counter.StdOut.Trim(), counter.ToString());
    }

    [TestMethod]
    public async Task Engine_boots_go_up_at_every_start_with_the_same_engine_id()
    {
        using var shared = new ScratchDirectory("upsagent-engine-");
        var seen = new List<string>();
        for (int start = 0; start < 2; start++)
        {
            await using SnmpAgentPeer agent = await SnmpAgentPeer.StartAsync(extraConfig: Section(Path.Combine(shared.Path, "snmp-engine")));
            ToolResult engine = await agent.RunToolAsync("snmpget", [.. AuthOnly, "-Oqv", "-Ox", agent.Target, ".1.3.6.1.6.3.10.2.1.1.0", ".1.3.6.1.6.3.10.2.1.2.0"]);
            Assert.AreEqual(0, engine.ExitCode, $"{engine}\n{agent.Log}");
            seen.Add(engine.StdOut.Trim());
        }

        string[] first = Lines(seen[0]);
        string[] second = Lines(seen[1]);
        Assert.AreEqual(first[0], second[0], "snmpEngineID is stable");
        Assert.AreEqual(Convert.ToInt32(first[1], 16) + 1, Convert.ToInt32(second[1], 16), $"snmpEngineBoots: {seen[0]} then {seen[1]}");
    }

    private static Task<SnmpAgentPeer> StartAsync() => SnmpAgentPeer.StartAsync(extraConfig: Section());

    private static async Task<string> UpscAsync(SnmpAgentPeer agent, string variable)
    {
        ToolResult upsc = await NutTool.RunAsync("upsc", $"ups@127.0.0.1:{agent.NutPort}", variable);
        Assert.AreEqual(0, upsc.ExitCode, upsc.ToString());
        return upsc.StdOut.Trim();
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
