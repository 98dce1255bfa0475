using System.Text;
using UpsAgent.Protocols.Snmp;

namespace UpsAgent.Protocols.Tests.Snmp;

/// <summary>
/// Whole messages. The GET sysName.0 request is 43 bytes captured from net-snmp 5.9.3's
/// <c>snmpget -v2c -d</c> against snmpd; the noSuchName response is snmpd's answer to a v1 GET of
/// upsIdentModel.0 (both in shared/specs/snmp.md section 3.2).
/// </summary>
[TestClass]
public sealed class SnmpMessageCodecTests
{
    private const string CapturedV2cGetSysName =
        "3029" + "020101" + "04067075626C6963" + "A01C" + "020418DE16C3" + "020100" + "020100"
        + "300E300C" + "06082B06010201010500" + "0500";

    [TestMethod]
    public void The_captured_v2c_get_decodes_and_encodes_back_byte_for_byte()
    {
        byte[] wire = Convert.FromHexString(CapturedV2cGetSysName);
        Assert.IsTrue(SnmpMessageCodec.TryDecode(wire, out SnmpMessage? message, out _));
        Assert.AreEqual(SnmpVersion.V2c, message.Version);
        Assert.AreEqual("public", Encoding.ASCII.GetString(message.Community));
        Assert.AreEqual(SnmpPduType.GetRequest, message.Pdu.Type);
        Assert.AreEqual(417208003, message.Pdu.RequestId);
        Assert.AreEqual("1.3.6.1.2.1.1.5.0", message.Pdu.VarBinds.Single().Name.ToString());
        Assert.AreEqual(SnmpType.Null, message.Pdu.VarBinds[0].Value.Type);
        CollectionAssert.AreEqual(wire, SnmpMessageCodec.Encode(message));
    }

    [TestMethod]
    public void A_v1_no_such_name_response_encodes_as_snmpd_sends_it()
    {
        var oid = ObjectIdentifier.Parse("1.3.6.1.2.1.33.1.1.2.0");
        var message = new SnmpMessage(SnmpVersion.V1, Encoding.ASCII.GetBytes("public"),
            SnmpPdu.Response(0x1D3EF00D, SnmpErrorStatus.NoSuchName, 1, [new VarBind(oid, SnmpValue.Null)]));
        Assert.AreEqual(
            "A21E02041D3EF00D020102020101301030" + "0E060A2B0601020121010102000500",
            Convert.ToHexString(SnmpMessageCodec.Encode(message))[26..]);
    }

    [TestMethod]
    public void Every_value_type_round_trips()
    {
        var oid = ObjectIdentifier.Parse("1.3.6.1.4.1.99999.1");
        SnmpValue[] values =
        [
            SnmpValue.Integer(-5), SnmpValue.Integer(int.MaxValue), SnmpValue.OctetString("UpsAgent"), SnmpValue.OctetString([]),
            SnmpValue.Null, SnmpValue.ObjectId(ObjectIdentifier.Parse("1.3.6.1.2.1.33")), SnmpValue.IpAddress([127, 0, 0, 1]),
            SnmpValue.Counter32(uint.MaxValue), SnmpValue.Gauge32(42), SnmpValue.TimeTicks(252000),
            SnmpValue.Opaque([0x9F, 0x78, 0x04, 0x3F, 0x80, 0x00, 0x00]), SnmpValue.Counter64(ulong.MaxValue),
            SnmpValue.NoSuchObject, SnmpValue.NoSuchInstance, SnmpValue.EndOfMibView,
        ];
        var message = new SnmpMessage(SnmpVersion.V2c, Encoding.ASCII.GetBytes("public"),
            SnmpPdu.Response(-7, SnmpErrorStatus.NoError, 0, values.Select(v => new VarBind(oid, v)).ToList()));

        byte[] wire = SnmpMessageCodec.Encode(message);

        Assert.IsTrue(SnmpMessageCodec.TryDecode(wire, out SnmpMessage? back, out _));
        Assert.AreEqual(-7, back.Pdu.RequestId);
        CollectionAssert.AreEqual(values, back.Pdu.VarBinds.Select(v => v.Value).ToArray());
    }

    [TestMethod]
    public void Exceptions_are_two_octets_each()
    {
        var oid = ObjectIdentifier.Parse("1.3.6.1.2.1.1.5.1");
        byte[] wire = SnmpMessageCodec.Encode(new SnmpMessage(SnmpVersion.V2c, [],
            SnmpPdu.Response(1, SnmpErrorStatus.NoError, 0, [new VarBind(oid, SnmpValue.NoSuchInstance)])));
        StringAssert.EndsWith(Convert.ToHexString(wire), "06082B06010201010501" + "8100");
    }

    [TestMethod]
    public void Get_bulk_carries_non_repeaters_and_max_repetitions_in_the_error_fields()
    {
        var pdu = new SnmpPdu(SnmpPduType.GetBulkRequest, 9, 1, 25, [new VarBind(ObjectIdentifier.Parse("1.3.6.1.2.1"), SnmpValue.Null)]);
        byte[] wire = SnmpMessageCodec.Encode(new SnmpMessage(SnmpVersion.V2c, Encoding.ASCII.GetBytes("public"), pdu));
        Assert.IsTrue(SnmpMessageCodec.TryDecode(wire, out SnmpMessage? back, out _));
        Assert.AreEqual(1, back.Pdu.NonRepeaters);
        Assert.AreEqual(25, back.Pdu.MaxRepetitions);
    }

    [TestMethod]
    public void Get_bulk_in_a_v1_message_is_a_parse_error()
    {
        var pdu = new SnmpPdu(SnmpPduType.GetBulkRequest, 9, 0, 10, [new VarBind(ObjectIdentifier.Parse("1.3.6.1.2.1"), SnmpValue.Null)]);
        byte[] wire = SnmpMessageCodec.Encode(new SnmpMessage(SnmpVersion.V1, Encoding.ASCII.GetBytes("public"), pdu));
        Assert.IsFalse(SnmpMessageCodec.TryDecode(wire, out _, out SnmpDecodeError error));
        Assert.AreEqual(SnmpDecodeError.Malformed, error);
    }

    [TestMethod]
    public void Unknown_versions_are_told_apart_from_garbage()
    {
        byte[] wire = Convert.FromHexString(CapturedV2cGetSysName);
        wire[4] = 3;
        Assert.IsFalse(SnmpMessageCodec.TryDecode(wire, out _, out SnmpDecodeError error));
        Assert.AreEqual(SnmpDecodeError.BadVersion, error);
    }

    [TestMethod]
    public void Every_truncation_of_a_valid_message_is_refused()
    {
        byte[] wire = Convert.FromHexString(CapturedV2cGetSysName);
        for (int length = 0; length < wire.Length; length++)
        {
            Assert.IsFalse(SnmpMessageCodec.TryDecode(wire.AsSpan(0, length), out _, out _), $"length {length}");
        }
    }

    [TestMethod]
    public void Trailing_bytes_after_the_message_are_refused()
    {
        byte[] wire = [.. Convert.FromHexString(CapturedV2cGetSysName), 0x00];
        Assert.IsFalse(SnmpMessageCodec.TryDecode(wire, out _, out _));
    }

    [TestMethod]
    public void Deeply_nested_sequences_are_refused_without_recursion()
    {
        var wire = new List<byte>();
        for (int i = 0; i < 10_000; i++)
        {
            wire.InsertRange(0, [0x30, 0x84, 0, 0, 0, 0]);
        }

        byte[] bytes = [.. wire];
        Assert.IsFalse(SnmpMessageCodec.TryDecode(bytes, out _, out _));
    }

    [TestMethod]
    public void An_indefinite_length_message_is_refused()
    {
        byte[] wire = Convert.FromHexString(CapturedV2cGetSysName);
        wire[1] = 0x80;
        Assert.IsFalse(SnmpMessageCodec.TryDecode(wire, out _, out _));
    }
}
