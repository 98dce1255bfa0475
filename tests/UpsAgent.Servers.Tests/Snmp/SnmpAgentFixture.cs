using System.Text;
using UpsAgent.Core.Commands;
using UpsAgent.Core.State;
using UpsAgent.Protocols.Snmp;
using UpsAgent.Servers.Snmp;
using UpsAgent.Servers.Tests.Nut;
using UpsAgent.TestKit.Timing;

namespace UpsAgent.Servers.Tests.Snmp;

/// <summary>One UPS with a writer the test drives, an agent over it, and request/answer helpers in message form.</summary>
public sealed class SnmpAgentFixture
{
    public static readonly Dictionary<string, string> OnLine = new()
    {
        ["ups.status"] = "OL CHRG",
        ["ups.mfr"] = "UpsAgent",
        ["ups.model"] = "SIM-1500 LI",
        ["ups.firmware"] = "03.10",
        ["battery.charge"] = "100",
        ["battery.runtime"] = "2040",
        ["battery.runtime.low"] = "180",
        ["battery.voltage"] = "27.3",
        ["input.voltage"] = "231.4",
        ["input.frequency"] = "50.0",
        ["output.voltage"] = "230.0",
        ["ups.load"] = "18",
        ["ups.test.result"] = "No test initiated",
        ["input.voltage.nominal"] = "230",
        ["input.frequency.nominal"] = "50",
        ["output.voltage.nominal"] = "230",
        ["input.transfer.low"] = "170",
        ["input.transfer.high"] = "280",
    };

    public SnmpAgentFixture(SnmpAgentOptions? options = null)
    {
        Store = new UpsStateStore("ups", "test UPS", Clock);
        Writer = Store.CreateWriter();
        Writer.Publish(OnLine.Select(p => new UpsVariable(p.Key, p.Value)), []);
        Options = options ?? new SnmpAgentOptions
        {
            Communities = [new SnmpCommunity("public", SnmpAccess.ReadOnly), new SnmpCommunity("private", SnmpAccess.ReadWrite)],
            Name = "test-host",
        };
        View = new UpsMibView(new UpsUnit(Store, Commands), Options, new SnmpCounters(), Clock);
        Agent = new SnmpAgent(View, Options);
    }

    public FakeClock Clock { get; } = new();

    public FakeCommandTarget Commands { get; } = new();

    public UpsStateStore Store { get; }

    public UpsStateWriter Writer { get; }

    public SnmpAgentOptions Options { get; }

    public UpsMibView View { get; }

    public SnmpAgent Agent { get; }

    public static ObjectIdentifier Oid(string dotted) => ObjectIdentifier.Parse(dotted);

    public static byte[] Request(SnmpVersion version, SnmpPduType type, params string[] names) =>
        Request(version, "public", new SnmpPdu(type, 42, 0, 0, names.Select(n => new VarBind(Oid(n), SnmpValue.Null)).ToList()));

    public static byte[] Request(SnmpVersion version, string community, SnmpPdu pdu) =>
        SnmpMessageCodec.Encode(new SnmpMessage(version, Encoding.ASCII.GetBytes(community), pdu));

    /// <summary>The decoded answer, or null when the agent stayed silent.</summary>
    public SnmpPdu? Ask(byte[] request)
    {
        byte[] response = new byte[65_507];
        int length = Agent.Handle(request, response);
        if (length == 0)
        {
            return null;
        }

        Assert.IsTrue(SnmpMessageCodec.TryDecode(response.AsSpan(0, length), out SnmpMessage? message, out _), "the agent's own answer must decode");
        Assert.AreEqual(SnmpPduType.Response, message.Pdu.Type);
        return message.Pdu;
    }

    public SnmpPdu Ask(SnmpVersion version, SnmpPduType type, params string[] names) =>
        Ask(Request(version, type, names)) ?? throw new AssertFailedException("no answer");

    public SnmpValue Get(string name, SnmpVersion version = SnmpVersion.V2c) =>
        Ask(version, SnmpPduType.GetRequest, name).VarBinds.Single().Value;
}
