using UpsAgent.Core.State;
using UpsAgent.Drivers.Snmp;
using UpsAgent.Interop.Tests.Snmp;
using UpsAgent.Protocols.Snmp;
using UpsAgent.TestKit.Peers;

namespace UpsAgent.Interop.Tests.SnmpManager;

/// <summary>
/// The SNMP manager driver against agents it did not write: snmpsimd serving the recorded UPS-MIB
/// and PowerNet cards of hw/captures/snmp, and <c>upsagent run --listen-snmp</c> serving a device dump.
/// </summary>
[TestClass]
[TestCategory("Interop")]
public sealed class SnmpManagerTests
{
    private static readonly SnmpClientOptions Quick = new() { Timeout = TimeSpan.FromMilliseconds(300), Retries = 1 };

    private static SnmpDriverOptions Options(int port, string community, SnmpVersion version = SnmpVersion.V2c, SnmpMibChoice mibs = SnmpMibChoice.Auto) =>
        new() { Host = "127.0.0.1", Port = port, Community = community, Version = version, Mibs = mibs, PollInterval = TimeSpan.FromMilliseconds(300), Client = Quick };

    private static async Task<SnmpSimPeer> StartSimAsync()
    {
        Assert.IsTrue(SnmpSimPeer.Installed, "snmpsimd is not installed: apt-get install snmpsim");
        return await SnmpSimPeer.StartAsync();
    }

    [TestMethod]
    [DataRow(SnmpVersion.V1)]
    [DataRow(SnmpVersion.V2c)]
    public async Task Reads_the_recorded_ups_mib_card_in_nut_units(SnmpVersion version)
    {
        await using SnmpSimPeer sim = await StartSimAsync();
        await using var driver = new RunningSnmpDriver(Options(sim.Port, "public", version));

        Assert.IsTrue(await driver.WaitForAsync(UpsDataState.Fresh), $"{driver.Describe()}\n{sim.Log}");
        Assert.AreEqual("ietf", driver.Value("driver.parameter.mibs"), "sysObjectID 1.3.6.1.2.1.33");
        Assert.AreEqual("OL", driver.Value("ups.status"));
        Assert.AreEqual("2520", driver.Value("battery.runtime"), "42 minutes");
        Assert.AreEqual("85", driver.Value("battery.charge"));
        Assert.AreEqual("54.50", driver.Value("battery.voltage"), "545 tenths of a volt");
        Assert.AreEqual("230", driver.Value("input.voltage"));
        Assert.AreEqual("50", driver.Value("input.frequency"), "500 tenths of a hertz");
        Assert.AreEqual("1.90", driver.Value("output.current"));
        Assert.AreEqual("300", driver.Value("battery.runtime.low"), "5 minutes");
        Assert.AreEqual("SmartOnline 1500", driver.Value("ups.model"));
        Assert.AreEqual("no test initiated", driver.Value("ups.test.result"));
        Assert.AreEqual("Rack 4, room 2", driver.Value("device.location"));
    }

    [TestMethod]
    public async Task Reads_on_battery_and_low_battery()
    {
        await using SnmpSimPeer sim = await StartSimAsync();
        await using var driver = new RunningSnmpDriver(Options(sim.Port, "onbatt", SnmpVersion.V1, SnmpMibChoice.Ietf));

        Assert.IsTrue(await driver.WaitForAsync(UpsDataState.Fresh), $"{driver.Describe()}\n{sim.Log}");
        Assert.AreEqual("OB LB", driver.Value("ups.status"));
        Assert.AreEqual("240", driver.Value("battery.runtime"));
        Assert.AreEqual("18", driver.Value("battery.charge"));
        Assert.IsNull(driver.Value("battery.current"), "a negative (discharging) current is left out as NUT does");
    }

    [TestMethod]
    [DataRow(SnmpVersion.V1)]
    [DataRow(SnmpVersion.V2c)]
    public async Task Reads_the_recorded_apc_card_with_timeticks_and_high_precision_values(SnmpVersion version)
    {
        await using SnmpSimPeer sim = await StartSimAsync();
        await using var driver = new RunningSnmpDriver(Options(sim.Port, "apc", version));

        Assert.IsTrue(await driver.WaitForAsync(UpsDataState.Fresh), $"{driver.Describe()}\n{sim.Log}");
        Assert.AreEqual("apc", driver.Value("driver.parameter.mibs"), "sysObjectID smartUPS1500 under enterprise 318");
        Assert.AreEqual("OL", driver.Value("ups.status"));
        Assert.AreEqual("2520", driver.Value("battery.runtime"), "TimeTicks 252000");
        Assert.AreEqual("120", driver.Value("battery.runtime.low"));
        Assert.AreEqual("90", driver.Value("ups.delay.shutdown"));
        Assert.AreEqual("230.10", driver.Value("input.voltage"), "upsHighPrecInputLineVoltage");
        Assert.AreEqual("100", driver.Value("battery.charge"));
        Assert.AreEqual("18.40", driver.Value("ups.load"));
        Assert.AreEqual("Smart-UPS 1500", driver.Value("ups.model"));
        Assert.AreEqual("AS1234567890", driver.Value("ups.serial"));
        Assert.AreEqual("APC", driver.Value("ups.mfr"));
    }

    [TestMethod]
    public async Task Reads_over_snmpv3_with_sha_and_aes()
    {
        await using SnmpSimPeer sim = await StartSimAsync();
        var v3 = new SnmpV3Settings
        {
            UserName = SnmpSimPeer.V3User,
            AuthProtocol = UsmAuthProtocol.Sha1,
            AuthPassword = SnmpSimPeer.V3AuthPassword,
            PrivProtocol = UsmPrivProtocol.Aes128,
            PrivPassword = SnmpSimPeer.V3PrivPassword,
            Context = "apc",
        };
        await using var driver = new RunningSnmpDriver(Options(sim.Port, "-", SnmpVersion.V3) with { V3 = v3 });

        Assert.IsTrue(await driver.WaitForAsync(UpsDataState.Fresh), $"{driver.Describe()}\n{sim.Log}");
        Assert.AreEqual("apc", driver.Value("driver.parameter.mibs"));
        Assert.AreEqual("2520", driver.Value("battery.runtime"));
        Assert.AreEqual("v3", driver.Value("driver.parameter.snmp_version"));
    }

    [TestMethod]
    public async Task Data_goes_stale_when_snmpsimd_stops_and_fresh_when_it_is_back()
    {
        await using SnmpSimPeer sim = await StartSimAsync();
        await using var driver = new RunningSnmpDriver(Options(sim.Port, "public"));
        Assert.IsTrue(await driver.WaitForAsync(UpsDataState.Fresh), $"{driver.Describe()}\n{sim.Log}");

        await sim.StopAsync();
        Assert.IsTrue(await driver.WaitForAsync(UpsDataState.Stale), driver.Describe());
        Assert.AreEqual("2520", driver.Value("battery.runtime"), "stale data is kept, only marked");

        await sim.RestartAsync();
        Assert.IsTrue(await driver.WaitForAsync(UpsDataState.Fresh), $"{driver.Describe()}\n{sim.Log}");
    }

    [TestMethod]
    [DataRow(SnmpVersion.V1)]
    [DataRow(SnmpVersion.V2c)]
    public async Task Reads_this_agent_s_ups_mib_back_to_the_values_it_serves(SnmpVersion version)
    {
        const string dump = """
            battery.charge: 8
            battery.runtime: 150
            battery.runtime.low: 180
            battery.voltage: 22.1
            input.voltage: 0.0
            output.voltage: 229.0
            ups.load: 18
            ups.mfr: UpsAgent
            ups.model: SIM-1500 LI
            ups.status: OB DISCHRG LB
            """;
        await using SnmpAgentPeer agent = await SnmpAgentPeer.StartAsync(dump);
        await using var driver = new RunningSnmpDriver(Options(agent.SnmpPort, "public", version));

        Assert.IsTrue(await driver.WaitForAsync(UpsDataState.Fresh), $"{driver.Describe()}\n{agent.Log}");
        Assert.AreEqual("ietf", driver.Value("driver.parameter.mibs"));
        Assert.AreEqual("OB LB", driver.Value("ups.status"));
        Assert.AreEqual("8", driver.Value("battery.charge"));
        Assert.AreEqual("180", driver.Value("battery.runtime"), "150 s is served as 3 whole minutes");
        Assert.AreEqual("22.10", driver.Value("battery.voltage"));
        Assert.AreEqual("229", driver.Value("output.voltage"));
        Assert.AreEqual("SIM-1500 LI", driver.Value("ups.model"));
        Assert.AreEqual("180", driver.Value("battery.runtime.low"));
    }

    [TestMethod]
    public async Task An_agent_configured_with_driver_snmp_serves_the_card_to_upsc()
    {
        await using SnmpSimPeer sim = await StartSimAsync();
        string section = $"[ups card]\ndriver = snmp\nhost = 127.0.0.1\nport = {sim.Port}\ncommunity = apc\nversion = 2c\npollinterval = 0.5\n";
        await using SnmpAgentPeer agent = await SnmpAgentPeer.StartAsync(extraConfig: section);

        ToolResult? upsc = null;
        bool served = await InteropSetup.EventuallyAsync(async () =>
        {
            upsc = await NutTool.RunAsync("upsc", $"card@127.0.0.1:{agent.NutPort}");
            return upsc.ExitCode == 0 && upsc.StdOut.Contains("battery.runtime: 2520", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(20));

        Assert.IsTrue(served, $"{upsc}\n{agent.Log}\n{sim.Log}");
        StringAssert.Contains(upsc!.StdOut, "ups.status: OL");
        StringAssert.Contains(upsc.StdOut, "driver.name: snmp");
        StringAssert.Contains(upsc.StdOut, "input.voltage: 230.10");
    }
}
