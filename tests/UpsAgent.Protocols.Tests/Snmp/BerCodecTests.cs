using UpsAgent.Protocols.Snmp;

namespace UpsAgent.Protocols.Tests.Snmp;

/// <summary>
/// Encodings from X.690 as RFC 3417 section 8 restricts it. The hex vectors are the ones captured
/// with net-snmp 5.9.3's snmpget -d against snmpd and collected in the project's SNMP notes
/// (shared/specs/snmp.md section 3.1).
/// </summary>
[TestClass]
public sealed class BerCodecTests
{
    [TestMethod]
    [DataRow(0L, "020100")]
    [DataRow(127L, "02017F")]
    [DataRow(128L, "02020080")]
    [DataRow(-1L, "0201FF")]
    [DataRow(-129L, "0202FF7F")]
    [DataRow(2147483647L, "02047FFFFFFF")]
    [DataRow(-2147483648L, "020480000000")]
    public void Integers_encode_minimally_and_decode_back(long value, string hex)
    {
        Assert.AreEqual(hex, Encode((ref BerWriter w) => w.WriteSigned(0x02, value)));
        var reader = new BerReader(Convert.FromHexString(hex));
        Assert.IsTrue(reader.TryReadTlv(out byte tag, out ReadOnlySpan<byte> content));
        Assert.AreEqual(0x02, tag);
        Assert.IsTrue(BerReader.TryDecodeSigned(content, out long decoded));
        Assert.AreEqual(value, decoded);
    }

    [TestMethod]
    [DataRow(SnmpType.Gauge32, 4294967295UL, "420500FFFFFFFF")]
    [DataRow(SnmpType.TimeTicks, 252000UL, "430303D860")]
    [DataRow(SnmpType.Counter32, 0UL, "410100")]
    [DataRow(SnmpType.Counter64, ulong.MaxValue, "460900FFFFFFFFFFFFFFFF")]
    public void Unsigned_types_get_a_leading_zero_when_the_top_bit_is_set(SnmpType type, ulong value, string hex)
    {
        Assert.AreEqual(hex, Encode((ref BerWriter w) => w.WriteUnsigned((byte)type, value)));
        byte[] bytes = Convert.FromHexString(hex);
        Assert.IsTrue(SnmpMessageCodec.TryDecodeValue(bytes[0], bytes.AsSpan(2), out SnmpValue decoded));
        Assert.AreEqual(type, decoded.Type);
        Assert.AreEqual(value, decoded.Unsigned);
    }

    [TestMethod]
    public void Unsigned_32_bit_values_beyond_2_pow_32_are_refused()
    {
        Assert.IsFalse(BerReader.TryDecodeUnsigned(Convert.FromHexString("0100000000"), 32, out _));
        Assert.IsTrue(BerReader.TryDecodeUnsigned(Convert.FromHexString("00FFFFFFFF"), 32, out ulong max));
        Assert.AreEqual(uint.MaxValue, max);
    }

    [TestMethod]
    [DataRow("1.3.6.1.2.1.1.5.0", "06082B06010201010500")]
    [DataRow("1.3.6.1.2.1.33.1.1.2.0", "060A2B060102012101010200")]
    [DataRow("1.3.6.1.4.1.318", "06072B06010401823E")]
    [DataRow("2.999.3", "0603883703")]
    [DataRow("1.3.4294967295", "06062B8FFFFFFF7F")]
    public void Object_identifiers_match_the_captured_encodings(string dotted, string hex)
    {
        var oid = ObjectIdentifier.Parse(dotted);
        Assert.AreEqual(hex, Encode((ref BerWriter w) => w.WriteOid(oid)));
        byte[] bytes = Convert.FromHexString(hex);
        Assert.IsTrue(ObjectIdentifier.TryDecodeContent(bytes.AsSpan(2), out ObjectIdentifier? decoded));
        Assert.AreEqual(oid, decoded);
        Assert.AreEqual(dotted, decoded.ToString());
    }

    [TestMethod]
    [DataRow("2B0680", "ends inside an arc")]
    [DataRow("2B8001", "non-minimal arc (leading 0x80)")]
    [DataRow("2B9080808000", "arc above 2^32-1")]
    [DataRow("", "empty")]
    public void Malformed_object_identifiers_are_refused(string hex, string why) =>
        Assert.IsFalse(ObjectIdentifier.TryDecodeContent(Convert.FromHexString(hex), out _), why);

    [TestMethod]
    public void Object_identifiers_longer_than_128_arcs_are_refused()
    {
        byte[] content = [0x2B, .. Enumerable.Repeat((byte)1, 127)];
        Assert.IsFalse(ObjectIdentifier.TryDecodeContent(content, out _));
        Assert.IsTrue(ObjectIdentifier.TryDecodeContent(content[..^1], out ObjectIdentifier? longest));
        Assert.AreEqual(128, longest.Length);
    }

    [TestMethod]
    public void Oid_order_is_numeric_per_arc_with_the_shorter_prefix_first()
    {
        string[] sorted = ["1.3.6.1.2.1.33.1.9.9.0", "1.3.6.1.2.1.33.1.9.10", "1.3.6.1.2.1.33.1.9.10.0", "1.3.6.1.2.1.33.2"];
        var shuffled = sorted.Reverse().Select(ObjectIdentifier.Parse).ToList();
        shuffled.Sort();
        CollectionAssert.AreEqual(sorted, shuffled.Select(o => o.ToString()).ToArray());
    }

    [TestMethod]
    public void Lengths_use_the_long_form_past_127_and_decode_leniently()
    {
        Assert.AreEqual("0481" + "80" + new string('0', 256), Encode((ref BerWriter w) => w.WriteOctets(0x04, new byte[128])));
        Assert.AreEqual("04820" + "12C", Encode((ref BerWriter w) => w.WriteOctets(0x04, new byte[300]))[..8]);

        // RFC 3417 section 8 permits more length octets than needed: 82 00 05 is 5.
        var reader = new BerReader(Convert.FromHexString("0482000548656C6C6F"));
        Assert.IsTrue(reader.TryReadTlv(out _, out ReadOnlySpan<byte> content));
        Assert.AreEqual(5, content.Length);
    }

    [TestMethod]
    [DataRow("0480", "indefinite length")]
    [DataRow("040548656C", "length beyond the data")]
    [DataRow("04", "no length")]
    [DataRow("048500000000010", "five length octets")]
    [DataRow("0484FFFFFFFF00", "length above the data")]
    [DataRow("1F0100", "high tag number form")]
    public void Malformed_tlvs_are_refused_without_exceptions(string hex, string why)
    {
        byte[] bytes = Convert.FromHexString(hex.Length % 2 == 0 ? hex : hex + "0");
        var reader = new BerReader(bytes);
        Assert.IsFalse(reader.TryReadTlv(out _, out _), why);
    }

    [TestMethod]
    public void Writer_reports_overflow_instead_of_writing_past_the_buffer()
    {
        var writer = new BerWriter(new byte[4]);
        writer.WriteOctets(0x04, new byte[10]);
        Assert.IsTrue(writer.HasOverflowed);
    }

    private delegate void WriteAction(ref BerWriter writer);

    private static string Encode(WriteAction write)
    {
        byte[] buffer = new byte[1024];
        var writer = new BerWriter(buffer);
        write(ref writer);
        Assert.IsFalse(writer.HasOverflowed);
        return Convert.ToHexString(buffer[^writer.Written..]);
    }
}
