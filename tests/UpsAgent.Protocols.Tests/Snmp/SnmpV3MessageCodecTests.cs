using System.Text;
using UpsAgent.Protocols.Snmp;

namespace UpsAgent.Protocols.Tests.Snmp;

/// <summary>
/// SNMPv3 messages with USM. The discovery request is 64 bytes captured from net-snmp 5.9.3's
/// <c>snmpget -v3 -d</c> against snmpd; the Report's USM header and varbind are the bytes snmpd
/// answered it with (both in shared/specs/snmp.md section 3.7).
/// </summary>
[TestClass]
public sealed class SnmpV3MessageCodecTests
{
    private const string CapturedDiscovery =
        "303E" + "020103"
        + "3011" + "020457F04A9E" + "020300FFE3" + "040104" + "020103"
        + "0410" + "300E" + "0400" + "020100" + "020100" + "0400" + "0400" + "0400"
        + "3014" + "0400" + "0400" + "A00E" + "02047735F412" + "020100" + "020100" + "3000";

    private const string SnmpdEngineId = "80001F88802696E817D6AC076B00000000";

    private static readonly byte[] EngineId = Convert.FromHexString(SnmpdEngineId);

    [TestMethod]
    public void The_captured_discovery_request_decodes_and_encodes_back_byte_for_byte()
    {
        byte[] wire = Convert.FromHexString(CapturedDiscovery);

        Assert.IsTrue(SnmpV3MessageCodec.TryDecode(wire, out SnmpV3Message? message, out SnmpDecodeError error), error.ToString());
        Assert.AreEqual(0x57F04A9E, message.MessageId);
        Assert.AreEqual(65507, message.MaxSize);
        Assert.AreEqual(SnmpV3Flags.Reportable, message.Flags);
        Assert.IsEmpty(message.Security.EngineId);
        Assert.IsEmpty(message.Security.UserName);
        Assert.AreEqual(-1, message.AuthenticationOffset);
        Assert.IsNotNull(message.ScopedPdu);
        Assert.AreEqual(SnmpPduType.GetRequest, message.ScopedPdu.Pdu.Type);
        Assert.AreEqual(0x7735F412, message.ScopedPdu.Pdu.RequestId);
        Assert.IsEmpty(message.ScopedPdu.Pdu.VarBinds);

        byte[] back = new byte[256];
        Assert.IsTrue(SnmpV3MessageCodec.TryEncode(message, back, out int written, out int macOffset));
        Assert.AreEqual(CapturedDiscovery, Convert.ToHexString(back, 0, written));
        Assert.AreEqual(-1, macOffset);
    }

    [TestMethod]
    public void A_discovery_report_carries_snmpds_usm_header_and_counter()
    {
        var counter = new VarBind(ObjectIdentifier.Parse("1.3.6.1.6.3.15.1.1.4.0"), SnmpValue.Counter32(6));
        var report = new SnmpV3Message(0x57F04A9E, 65507, SnmpV3Flags.None, new UsmSecurityParameters(EngineId, 1, 19, [], [], []),
            new ScopedPdu(EngineId, [], new SnmpPdu(SnmpPduType.Report, 0x7735F412, 0, 0, [counter])), null);

        byte[] wire = new byte[256];
        Assert.IsTrue(SnmpV3MessageCodec.TryEncode(report, wire, out int written, out _));
        string hex = Convert.ToHexString(wire, 0, written);

        StringAssert.Contains(hex, "040100" + "020103");
        StringAssert.Contains(hex, "0421" + "301F" + "0411" + SnmpdEngineId + "020101" + "020113" + "0400" + "0400" + "0400");
        StringAssert.Contains(hex, "3036" + "0411" + SnmpdEngineId + "0400" + "A81F" + "02047735F412");
        StringAssert.EndsWith(hex, "3011" + "300F" + "060A2B060106030F01010400" + "410106");
    }

    [TestMethod]
    [DataRow(UsmAuthProtocol.Sha1, UsmPrivProtocol.Aes128)]
    [DataRow(UsmAuthProtocol.Sha256, UsmPrivProtocol.Aes128)]
    [DataRow(UsmAuthProtocol.Sha1, UsmPrivProtocol.None)]
    [DataRow(UsmAuthProtocol.Md5, UsmPrivProtocol.None)]
    public void A_secured_message_authenticates_decrypts_and_round_trips(UsmAuthProtocol auth, UsmPrivProtocol priv)
    {
        UsmUser user = UsmUser.FromPasswords("upsuser", auth, "authpass123", priv, "privpass123", EngineId);
        SnmpV3Message request = Request(user, SnmpV3Flags.Reportable | user.Level);

        byte[] wire = new byte[1024];
        Assert.IsTrue(SnmpV3MessageCodec.TryEncodeSecured(request, user, wire, out int written));
        ReadOnlySpan<byte> datagram = wire.AsSpan(0, written);

        Assert.IsTrue(SnmpV3MessageCodec.TryDecode(datagram, out SnmpV3Message? decoded, out _));
        Assert.AreEqual(UsmAuthentication.MacLength(auth), decoded.Security.AuthenticationParameters.Length);
        Assert.IsTrue(SnmpV3MessageCodec.Authenticate(datagram, decoded, user));
        ScopedPdu scoped;
        if (priv == UsmPrivProtocol.None)
        {
            Assert.IsNull(decoded.EncryptedPdu);
            scoped = decoded.ScopedPdu!;
        }
        else
        {
            Assert.IsNull(decoded.ScopedPdu);
            Assert.IsFalse(datagram.IndexOf("upsIdentModel"u8) >= 0);
            Assert.IsTrue(SnmpV3MessageCodec.TryDecrypt(decoded, user, out ScopedPdu? opened));
            scoped = opened;
        }

        Assert.AreEqual(request.ScopedPdu!.Pdu.RequestId, scoped.Pdu.RequestId);
        Assert.AreEqual("1.3.6.1.2.1.33.1.1.2.0", scoped.Pdu.VarBinds.Single().Name.ToString());
        Assert.AreEqual(SnmpValue.OctetString("upsIdentModel"), scoped.Pdu.VarBinds[0].Value);
    }

    [TestMethod]
    public void A_wrong_password_or_a_changed_byte_fails_authentication()
    {
        UsmUser user = UsmUser.FromPasswords("upsuser", UsmAuthProtocol.Sha1, "authpass123", UsmPrivProtocol.Aes128, "privpass123", EngineId);
        UsmUser wrong = UsmUser.FromPasswords("upsuser", UsmAuthProtocol.Sha1, "authpass124", UsmPrivProtocol.Aes128, "privpass124", EngineId);
        byte[] wire = new byte[1024];
        Assert.IsTrue(SnmpV3MessageCodec.TryEncodeSecured(Request(user, SnmpV3Flags.Auth | SnmpV3Flags.Priv), user, wire, out int written));
        byte[] datagram = wire[..written];
        Assert.IsTrue(SnmpV3MessageCodec.TryDecode(datagram, out SnmpV3Message? decoded, out _));

        Assert.IsFalse(SnmpV3MessageCodec.Authenticate(datagram, decoded, wrong));
        Assert.IsTrue(!SnmpV3MessageCodec.TryDecrypt(decoded, wrong, out ScopedPdu? garbage) || garbage.Pdu.RequestId != 77,
            "the wrong privacy key never yields the request");

        datagram[^1] ^= 0x01;
        Assert.IsTrue(SnmpV3MessageCodec.TryDecode(datagram, out SnmpV3Message? tampered, out _));
        Assert.IsFalse(SnmpV3MessageCodec.Authenticate(datagram, tampered, user));
    }

    [TestMethod]
    public void Privacy_without_authentication_is_an_invalid_message()
    {
        byte[] wire = Convert.FromHexString(CapturedDiscovery);
        Assert.AreEqual(0x04, wire[20], "msgFlags reportable");
        wire[20] = 0x06;
        Assert.IsFalse(SnmpV3MessageCodec.TryDecode(wire, out _, out SnmpDecodeError error));
        Assert.AreEqual(SnmpDecodeError.InvalidMessage, error);
    }

    [TestMethod]
    public void A_security_model_other_than_usm_is_told_apart()
    {
        byte[] wire = Convert.FromHexString(CapturedDiscovery);
        Assert.AreEqual(0x03, wire[23], "msgSecurityModel USM");
        wire[23] = 0x02;
        Assert.IsFalse(SnmpV3MessageCodec.TryDecode(wire, out _, out SnmpDecodeError error));
        Assert.AreEqual(SnmpDecodeError.UnknownSecurityModel, error);
    }

    [TestMethod]
    public void A_v2c_message_is_a_bad_version_for_the_v3_codec()
    {
        byte[] wire = Convert.FromHexString("3029020101" + "04067075626C6963" + "A01C020418DE16C3020100020100300E300C06082B060102010105000500");
        Assert.IsFalse(SnmpV3MessageCodec.TryDecode(wire, out _, out SnmpDecodeError error));
        Assert.AreEqual(SnmpDecodeError.BadVersion, error);
    }

    [TestMethod]
    public void Every_truncation_and_a_max_size_below_484_are_refused()
    {
        byte[] wire = Convert.FromHexString(CapturedDiscovery);
        for (int length = 0; length < wire.Length; length++)
        {
            Assert.IsFalse(SnmpV3MessageCodec.TryDecode(wire.AsSpan(0, length), out _, out _), $"length {length}");
        }

        byte[] small = Convert.FromHexString(CapturedDiscovery.Replace("020300FFE3", "020301E3FF", StringComparison.Ordinal));
        Assert.IsTrue(SnmpV3MessageCodec.TryDecode(small, out _, out _), "123,903 is a fine max size");
        byte[] tiny = Convert.FromHexString(CapturedDiscovery.Replace("020300FFE3", "02030001E3", StringComparison.Ordinal));
        Assert.IsFalse(SnmpV3MessageCodec.TryDecode(tiny, out _, out _), "483 is below the minimum");
    }

    [TestMethod]
    [Timeout(30_000, CooperativeCancellation = true)]
    public void Mutated_v3_messages_never_throw()
    {
        UsmUser user = UsmUser.FromPasswords("upsuser", UsmAuthProtocol.Sha1, "authpass123", UsmPrivProtocol.Aes128, "privpass123", EngineId);
        byte[] wire = new byte[1024];
        Assert.IsTrue(SnmpV3MessageCodec.TryEncodeSecured(Request(user, SnmpV3Flags.Auth | SnmpV3Flags.Priv | SnmpV3Flags.Reportable), user, wire, out int written));
        byte[][] seeds = [wire[..written], Convert.FromHexString(CapturedDiscovery)];
        var random = new Random(3414);
        int decoded = 0;
        for (int i = 0; i < 20_000; i++)
        {
            byte[] datagram = (byte[])seeds[i % 2].Clone();
            for (int flips = random.Next(1, 4); flips > 0; flips--)
            {
                datagram[random.Next(datagram.Length)] = (byte)random.Next(256);
            }

            if (SnmpV3MessageCodec.TryDecode(datagram, out SnmpV3Message? message, out _))
            {
                decoded++;
                _ = SnmpV3MessageCodec.Authenticate(datagram, message, user);
                _ = SnmpV3MessageCodec.TryDecrypt(message, user, out _);
            }
        }

        Assert.IsGreaterThan(100, decoded, "some mutations stay well-formed and reach authentication and decryption");
    }

    [TestMethod]
    public void The_v1_trap_of_ups_trap_on_battery_encodes_as_snmptrap_sends_it()
    {
        ObjectIdentifier onBattery = ObjectIdentifier.Parse("1.3.6.1.2.1.33.2.1");
        VarBind[] objects =
        [
            new(ObjectIdentifier.Parse("1.3.6.1.2.1.33.1.2.3.0"), SnmpValue.Integer(42)),
            new(ObjectIdentifier.Parse("1.3.6.1.2.1.33.1.2.2.0"), SnmpValue.Integer(95)),
            new(ObjectIdentifier.Parse("1.3.6.1.2.1.33.1.9.7.0"), SnmpValue.Integer(3)),
        ];
        SnmpTrapV1Pdu trap = SnmpTrapV1Pdu.FromNotification(onBattery, [127, 0, 0, 1], 0x0142AF, objects);

        byte[] wire = new byte[256];
        Assert.IsTrue(SnmpMessageCodec.TryEncodeTrapV1(Encoding.ASCII.GetBytes("public"), trap, wire, out int written));

        Assert.AreEqual(0x5E, written, "94 bytes as snmptrap -v1 sent");
        StringAssert.StartsWith(Convert.ToHexString(wire, 0, written),
            "305C" + "020100" + "04067075626C6963" + "A44F" + "06072B06010201210" + "2" + "40047F000001" + "020106" + "020101" + "43030142AF" + "3033");
        Assert.IsTrue(SnmpMessageCodec.TryDecodeTrapV1(wire.AsSpan(0, written), out byte[]? community, out SnmpTrapV1Pdu? back));
        Assert.AreEqual("public", Encoding.ASCII.GetString(community));
        Assert.AreEqual("1.3.6.1.2.1.33.2", back.Enterprise.ToString());
        Assert.AreEqual(1, back.SpecificTrap);
        Assert.AreEqual(0x0142AFu, back.TimeStamp);
        CollectionAssert.AreEqual(objects, back.VarBinds.ToArray());
        for (int length = 0; length < written; length++)
        {
            Assert.IsFalse(SnmpMessageCodec.TryDecodeTrapV1(wire.AsSpan(0, length), out _, out _), $"length {length}");
        }
    }

    [TestMethod]
    [DataRow(SnmpPduType.SnmpV2Trap)]
    [DataRow(SnmpPduType.InformRequest)]
    [DataRow(SnmpPduType.Report)]
    public void Notifications_and_reports_round_trip_in_v2c(SnmpPduType type)
    {
        var pdu = new SnmpPdu(type, 5, 0, 0,
        [
            new VarBind(ObjectIdentifier.Parse("1.3.6.1.2.1.1.3.0"), SnmpValue.TimeTicks(100)),
            new VarBind(ObjectIdentifier.Parse("1.3.6.1.6.3.1.1.4.1.0"), SnmpValue.ObjectId(ObjectIdentifier.Parse("1.3.6.1.2.1.33.2.1"))),
        ]);
        byte[] wire = SnmpMessageCodec.Encode(new SnmpMessage(SnmpVersion.V2c, Encoding.ASCII.GetBytes("public"), pdu));
        Assert.IsTrue(SnmpMessageCodec.TryDecode(wire, out SnmpMessage? back, out _));
        Assert.AreEqual(type, back.Pdu.Type);
        CollectionAssert.AreEqual(pdu.VarBinds.ToArray(), back.Pdu.VarBinds.ToArray());
    }

    private static SnmpV3Message Request(UsmUser user, SnmpV3Flags flags)
    {
        var pdu = new SnmpPdu(SnmpPduType.GetRequest, 77, 0, 0, [new VarBind(ObjectIdentifier.Parse("1.3.6.1.2.1.33.1.1.2.0"), SnmpValue.OctetString("upsIdentModel"))]);
        byte[] salt = (flags & SnmpV3Flags.Priv) != 0 ? Convert.FromHexString("0102030405060708") : [];
        return new SnmpV3Message(1234, 65507, flags, new UsmSecurityParameters(EngineId, 2, 300, user.Name, [], salt),
            new ScopedPdu(EngineId, [], pdu), null);
    }
}
