using System.Net;
using UpsAgent.Core.State;
using UpsAgent.Protocols.Snmp;
using UpsAgent.Servers.Snmp;

namespace UpsAgent.Servers.Tests.Snmp;

/// <summary>Who may ask (the loopback-only default, as Debian's snmpd ships) and what writes do to the UPS.</summary>
[TestClass]
public sealed class SnmpAgentAccessTests
{
    private static readonly byte[] Response = new byte[65_507];

    [TestMethod]
    public void The_default_public_community_answers_loopback_only()
    {
        var f = new SnmpAgentFixture(new SnmpAgentOptions());
        byte[] request = SnmpAgentFixture.Request(SnmpVersion.V2c, SnmpPduType.GetRequest, "1.3.6.1.2.1.33.1.2.4.0");

        Assert.IsGreaterThan(0, f.Agent.Handle(request, Response, IPAddress.Loopback));
        Assert.IsGreaterThan(0, f.Agent.Handle(request, Response, IPAddress.Parse("127.0.0.2")));
        Assert.IsGreaterThan(0, f.Agent.Handle(request, Response, IPAddress.IPv6Loopback));
        Assert.IsGreaterThan(0, f.Agent.Handle(request, Response, IPAddress.Loopback.MapToIPv6()));
        Assert.AreEqual(0, f.Agent.Handle(request, Response, IPAddress.Parse("192.168.1.20")));
        Assert.AreEqual(0, f.Agent.Handle(request, Response, IPAddress.Parse("2001:db8::1")));
        Assert.AreEqual(2u, f.Agent.Counters.InBadCommunityNames);
    }

    [TestMethod]
    public void A_community_restricted_to_a_network_answers_only_there()
    {
        var f = new SnmpAgentFixture(new SnmpAgentOptions { Communities = [new SnmpCommunity("lan", SnmpAccess.ReadOnly, IPNetwork.Parse("192.168.1.0/24"))] });
        byte[] request = SnmpAgentFixture.Request(SnmpVersion.V1, "lan", new SnmpPdu(SnmpPduType.GetRequest, 1, 0, 0, [new VarBind(ObjectIdentifier.Parse("1.3.6.1.2.1.1.1.0"), SnmpValue.Null)]));

        Assert.IsGreaterThan(0, f.Agent.Handle(request, Response, IPAddress.Parse("192.168.1.20")));
        Assert.AreEqual(0, f.Agent.Handle(request, Response, IPAddress.Parse("192.168.2.20")));
    }

    [TestMethod]
    public void Config_objects_set_the_nut_variables_they_map_to()
    {
        var f = WritableUps();

        SnmpPdu answer = Set(f, SnmpVersion.V2c, "private",
            ("1.3.6.1.2.1.33.1.9.7.0", SnmpValue.Integer(4)),
            ("1.3.6.1.2.1.33.1.9.9.0", SnmpValue.Integer(175)),
            ("1.3.6.1.2.1.33.1.1.5.0", SnmpValue.OctetString("rack b")));

        Assert.AreEqual((int)SnmpErrorStatus.NoError, answer.ErrorStatus);
        CollectionAssert.AreEqual(new[] { "SET battery.runtime.low 240", "SET input.transfer.low 175", "SET ups.id rack b" }, f.Commands.Calls.ToArray());
    }

    [TestMethod]
    [DataRow(0, "INSTCMD load.off")]
    [DataRow(30, "INSTCMD load.off.delay 30")]
    [DataRow(-1, "INSTCMD shutdown.stop")]
    public void Ups_shutdown_after_delay_runs_the_nut_command(int seconds, string expected)
    {
        var f = WritableUps();

        SnmpPdu answer = Set(f, SnmpVersion.V2c, "private", ("1.3.6.1.2.1.33.1.8.2.0", SnmpValue.Integer(seconds)));

        Assert.AreEqual((int)SnmpErrorStatus.NoError, answer.ErrorStatus);
        CollectionAssert.AreEqual(new[] { expected }, f.Commands.Calls.ToArray());
    }

    [TestMethod]
    public void Audible_status_runs_the_beeper_commands()
    {
        var f = WritableUps();
        Assert.AreEqual(0, Set(f, SnmpVersion.V1, "private", ("1.3.6.1.2.1.33.1.9.8.0", SnmpValue.Integer(1))).ErrorStatus);
        CollectionAssert.AreEqual(new[] { "INSTCMD beeper.disable" }, f.Commands.Calls.ToArray());
    }

    [TestMethod]
    [DataRow("public", "1.3.6.1.2.1.33.1.9.7.0", 5, SnmpErrorStatus.NoAccess, SnmpErrorStatus.NoSuchName)]
    [DataRow("private", "1.3.6.1.2.1.1.1.0", 5, SnmpErrorStatus.NotWritable, SnmpErrorStatus.NoSuchName)]
    [DataRow("private", "1.3.6.1.2.1.33.1.9.7.0", -5, SnmpErrorStatus.WrongValue, SnmpErrorStatus.BadValue)]
    [DataRow("private", "1.3.6.1.2.1.33.1.8.3.0", -1, SnmpErrorStatus.InconsistentValue, SnmpErrorStatus.BadValue)]
    [DataRow("private", "1.3.6.1.2.1.33.1.9.1.0", 240, SnmpErrorStatus.NotWritable, SnmpErrorStatus.NoSuchName)]
    [DataRow("private", "1.3.6.1.2.1.33.1.99.0", 1, SnmpErrorStatus.NoCreation, SnmpErrorStatus.NoSuchName)]
    public void Refused_writes_change_nothing(string community, string name, int value, SnmpErrorStatus v2, SnmpErrorStatus v1)
    {
        var f = WritableUps();

        SnmpPdu answer2 = Set(f, SnmpVersion.V2c, community, (name, SnmpValue.Integer(value)));
        SnmpPdu answer1 = Set(f, SnmpVersion.V1, community, (name, SnmpValue.Integer(value)));

        Assert.AreEqual((int)v2, answer2.ErrorStatus);
        Assert.AreEqual(1, answer2.ErrorIndex);
        Assert.AreEqual((int)v1, answer1.ErrorStatus);
        Assert.IsEmpty(f.Commands.Calls);
    }

    [TestMethod]
    public void One_bad_varbind_stops_the_whole_set()
    {
        var f = WritableUps();

        SnmpPdu answer = Set(f, SnmpVersion.V2c, "private",
            ("1.3.6.1.2.1.33.1.9.7.0", SnmpValue.Integer(4)),
            ("1.3.6.1.2.1.33.1.9.9.0", SnmpValue.OctetString("175")));

        Assert.AreEqual((int)SnmpErrorStatus.WrongType, answer.ErrorStatus);
        Assert.AreEqual(2, answer.ErrorIndex);
        Assert.IsEmpty(f.Commands.Calls, "all or nothing");
    }

    [TestMethod]
    public void A_driver_that_refuses_gives_commit_failed()
    {
        var f = WritableUps();
        f.Commands.Outcome = Core.Commands.CommandOutcome.Failed;

        Assert.AreEqual((int)SnmpErrorStatus.CommitFailed, Set(f, SnmpVersion.V2c, "private", ("1.3.6.1.2.1.33.1.8.2.0", SnmpValue.Integer(0))).ErrorStatus);
        f.Commands.Throw = new InvalidOperationException("driver gone");
        Assert.AreEqual((int)SnmpErrorStatus.GenErr, Set(f, SnmpVersion.V1, "private", ("1.3.6.1.2.1.33.1.8.2.0", SnmpValue.Integer(0))).ErrorStatus);
    }

    private static SnmpAgentFixture WritableUps()
    {
        var f = new SnmpAgentFixture();
        f.Writer.Define(
        [
            new UpsVariable("battery.runtime.low", "180") { Flags = VariableFlags.ReadWrite | VariableFlags.Number },
            new UpsVariable("input.transfer.low", "170") { Flags = VariableFlags.ReadWrite | VariableFlags.Number },
            new UpsVariable("ups.id", "rack a") { Flags = VariableFlags.ReadWrite | VariableFlags.String, MaxLength = 16 },
        ]);
        f.Writer.SetCommands(["load.off", "load.off.delay", "load.on", "shutdown.stop", "beeper.disable", "beeper.enable"]);
        return f;
    }

    private static SnmpPdu Set(SnmpAgentFixture f, SnmpVersion version, string community, params (string Name, SnmpValue Value)[] varBinds) =>
        f.Ask(SnmpAgentFixture.Request(version, community,
            new SnmpPdu(SnmpPduType.SetRequest, 5, 0, 0, varBinds.Select(v => new VarBind(ObjectIdentifier.Parse(v.Name), v.Value)).ToList())))
        ?? throw new AssertFailedException("no answer");
}
