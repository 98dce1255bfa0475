using System.Text;
using UpsAgent.Protocols.Snmp;
using UpsAgent.Servers.Snmp;

namespace UpsAgent.Servers.Tests.Snmp;

/// <summary>
/// The agent's USM side, driven in memory the way net-snmp's tools drive snmpd: discovery, then
/// authenticated (and encrypted) requests; each failure gives the Report snmpd gives
/// (shared/specs/snmp.md section 3.7) and counts its usmStats counter.
/// </summary>
[TestClass]
public sealed class SnmpAgentV3Tests
{
    private static readonly byte[] EngineId = Convert.FromHexString("80000000050102030405060708");

    private static SnmpAgentFixture Fixture() => new(new SnmpAgentOptions
    {
        Communities = [],
        Users =
        [
            new SnmpUser("upsuser", UsmAuthProtocol.Sha1, "authpass123", UsmPrivProtocol.Aes128, "privpass123", SnmpAccess.ReadOnly),
            new SnmpUser("upsuser256", UsmAuthProtocol.Sha256, "authpass256", UsmPrivProtocol.Aes128, "privpass256", SnmpAccess.ReadWrite),
            new SnmpUser("upsauth", UsmAuthProtocol.Sha1, "authonly123", UsmPrivProtocol.None, null, SnmpAccess.ReadOnly),
        ],
        EngineId = EngineId,
        EngineBoots = 7,
        MaxMessageSize = 65_507,
    });

    private static UsmUser User(string name, string auth, string? priv, UsmAuthProtocol protocol = UsmAuthProtocol.Sha1) =>
        UsmUser.FromPasswords(name, protocol, auth, priv is null ? UsmPrivProtocol.None : UsmPrivProtocol.Aes128, priv, EngineId);

    [TestMethod]
    public void Discovery_is_answered_with_an_unauthenticated_report_carrying_engine_id_boots_and_time()
    {
        var f = Fixture();
        f.Clock.Advance(TimeSpan.FromSeconds(19));
        var discovery = new SnmpV3Message(0x57F04A9E, 65507, SnmpV3Flags.Reportable, UsmSecurityParameters.Discovery,
            new ScopedPdu([], [], new SnmpPdu(SnmpPduType.GetRequest, 0x7735F412, 0, 0, [])), null);

        SnmpV3Message report = Exchange(f, discovery, null)!;

        Assert.AreEqual(SnmpV3Flags.None, report.Flags);
        Assert.AreEqual(0x57F04A9E, report.MessageId);
        CollectionAssert.AreEqual(EngineId, report.Security.EngineId);
        Assert.AreEqual(7, report.Security.EngineBoots);
        Assert.AreEqual(19, report.Security.EngineTime);
        Assert.AreEqual(SnmpPduType.Report, report.ScopedPdu!.Pdu.Type);
        Assert.AreEqual(0x7735F412, report.ScopedPdu.Pdu.RequestId);
        CollectionAssert.AreEqual(EngineId, report.ScopedPdu.ContextEngineId);
        Assert.AreEqual(new VarBind(ObjectIdentifier.Parse("1.3.6.1.6.3.15.1.1.4.0"), SnmpValue.Counter32(1)), report.ScopedPdu.Pdu.VarBinds.Single());
        Assert.AreEqual(1u, f.Agent.Counters.UnknownEngineIds);
    }

    [TestMethod]
    [DataRow("upsuser", "authpass123", "privpass123", UsmAuthProtocol.Sha1)]
    [DataRow("upsuser256", "authpass256", "privpass256", UsmAuthProtocol.Sha256)]
    [DataRow("upsauth", "authonly123", null, UsmAuthProtocol.Sha1)]
    public void An_authenticated_get_is_answered_at_the_same_level(string name, string auth, string? priv, UsmAuthProtocol protocol)
    {
        var f = Fixture();
        UsmUser user = User(name, auth, priv, protocol);
        f.Clock.Advance(TimeSpan.FromSeconds(100));

        SnmpV3Message response = Exchange(f, Request(user, boots: 7, time: 100, SnmpPduType.GetRequest, "1.3.6.1.2.1.33.1.2.4.0"), user)!;

        Assert.AreEqual(user.Level, response.Flags);
        Assert.AreEqual(SnmpPduType.Response, response.ScopedPdu!.Pdu.Type);
        Assert.AreEqual(SnmpValue.Integer(100), response.ScopedPdu.Pdu.VarBinds.Single().Value);
    }

    [TestMethod]
    public void A_wrong_password_is_a_wrong_digest_report_and_nothing_else()
    {
        var f = Fixture();
        UsmUser wrong = User("upsuser", "authpass999", "privpass123");

        SnmpV3Message report = Exchange(f, Request(wrong, 7, 0, SnmpPduType.GetRequest, "1.3.6.1.2.1.1.1.0"), wrong)!;

        Assert.AreEqual(SnmpV3Flags.None, report.Flags);
        Assert.AreEqual("1.3.6.1.6.3.15.1.1.5.0", report.ScopedPdu!.Pdu.VarBinds.Single().Name.ToString());
        Assert.AreEqual(1u, f.Agent.Counters.WrongDigests);
    }

    [TestMethod]
    public void An_unknown_user_and_an_unsupported_level_get_their_reports()
    {
        var f = Fixture();
        UsmUser nobody = User("nobody", "authpass123", null);
        UsmUser tooHigh = User("upsauth", "authonly123", "privpass123");
        SnmpV3Message unknown = Exchange(f, Request(nobody, 7, 0, SnmpPduType.GetRequest, "1.3.6.1.2.1.1.1.0"), nobody)!;
        SnmpV3Message level = Exchange(f, Request(tooHigh, 7, 0, SnmpPduType.GetRequest, "1.3.6.1.2.1.1.1.0"), tooHigh)!;

        Assert.AreEqual("1.3.6.1.6.3.15.1.1.3.0", unknown.ScopedPdu!.Pdu.VarBinds.Single().Name.ToString());
        Assert.AreEqual("1.3.6.1.6.3.15.1.1.1.0", level.ScopedPdu!.Pdu.VarBinds.Single().Name.ToString());
        Assert.AreEqual(1u, f.Agent.Counters.UnknownUserNames);
        Assert.AreEqual(1u, f.Agent.Counters.UnsupportedSecLevels);
    }

    [TestMethod]
    [DataRow(6, 100, "other boots")]
    [DataRow(7, 300, "151 s ahead")]
    [DataRow(0, 0, "boots and time 0 as some managers send first")]
    public void Outside_the_time_window_the_report_is_authenticated_and_carries_the_right_time(int boots, int time, string why)
    {
        var f = Fixture();
        UsmUser user = User("upsuser", "authpass123", "privpass123");
        f.Clock.Advance(TimeSpan.FromSeconds(149));

        byte[] answer = Raw(f, Request(user, boots, time, SnmpPduType.GetRequest, "1.3.6.1.2.1.1.1.0"), user);

        Assert.IsTrue(SnmpV3MessageCodec.TryDecode(answer, out SnmpV3Message? report, out _), why);
        Assert.AreEqual(SnmpV3Flags.Auth, report.Flags, "RFC 3414 3.2 step 7a: authNoPriv");
        Assert.IsTrue(SnmpV3MessageCodec.Authenticate(answer, report, user), "signed with the user's key");
        Assert.AreEqual(7, report.Security.EngineBoots);
        Assert.AreEqual(149, report.Security.EngineTime);
        Assert.AreEqual("1.3.6.1.6.3.15.1.1.2.0", report.ScopedPdu!.Pdu.VarBinds.Single().Name.ToString());
        Assert.AreEqual(1u, f.Agent.Counters.NotInTimeWindows);

        SnmpV3Message retried = Exchange(f, Request(user, report.Security.EngineBoots, report.Security.EngineTime, SnmpPduType.GetRequest, "1.3.6.1.2.1.1.1.0"), user)!;
        Assert.AreEqual(SnmpPduType.Response, retried.ScopedPdu!.Pdu.Type, "the resynchronised retry is served");
    }

    [TestMethod]
    public void A_bad_salt_is_a_decryption_error()
    {
        var f = Fixture();
        UsmUser user = User("upsuser", "authpass123", "privpass123");
        SnmpV3Message request = Request(user, 7, 0, SnmpPduType.GetRequest, "1.3.6.1.2.1.1.1.0");
        byte[] wire = new byte[2048];
        Assert.IsTrue(SnmpV3MessageCodec.TryEncodeSecured(request, user, wire, out int written));
        Assert.IsTrue(SnmpV3MessageCodec.TryDecode(wire.AsSpan(0, written), out SnmpV3Message? encrypted, out _));

        // Same ciphertext, 7-octet salt, signed again: authentic but not decryptable (RFC 3826 section 3.2.4).
        SnmpV3Message broken = encrypted with { Security = encrypted.Security with { PrivacyParameters = new byte[7], AuthenticationParameters = new byte[12] } };
        Assert.IsTrue(SnmpV3MessageCodec.TryEncode(broken, wire, out written, out int macOffset));
        UsmAuthentication.Sign(UsmAuthProtocol.Sha1, user.AuthKey, wire.AsSpan(0, written), macOffset);

        SnmpV3Message report = Decode(f, wire[..written]);
        Assert.AreEqual("1.3.6.1.6.3.15.1.1.6.0", report.ScopedPdu!.Pdu.VarBinds.Single().Name.ToString());
        Assert.AreEqual(1u, f.Agent.Counters.DecryptionErrors);
    }

    [TestMethod]
    public void Without_the_reportable_flag_failures_are_silent()
    {
        var f = Fixture();
        UsmUser wrong = User("upsuser", "authpass999", "privpass123");
        SnmpV3Message request = Request(wrong, 7, 0, SnmpPduType.GetRequest, "1.3.6.1.2.1.1.1.0");
        byte[] wire = new byte[2048];
        Assert.IsTrue(SnmpV3MessageCodec.TryEncodeSecured(request with { Flags = request.Flags & ~SnmpV3Flags.Reportable }, wrong, wire, out int written));

        Assert.AreEqual(0, f.Agent.Handle(wire.AsSpan(0, written), new byte[65_507]));
        Assert.AreEqual(1u, f.Agent.Counters.WrongDigests);
    }

    [TestMethod]
    public void Read_only_users_cannot_set_and_read_write_users_reach_the_ups()
    {
        var f = Fixture();
        f.Writer.Define([new Core.State.UpsVariable("battery.runtime.low", "180") { Flags = Core.State.VariableFlags.ReadWrite | Core.State.VariableFlags.Number }]);
        UsmUser reader = User("upsuser", "authpass123", "privpass123");
        UsmUser writer = User("upsuser256", "authpass256", "privpass256", UsmAuthProtocol.Sha256);

        SnmpPdu refused = Exchange(f, SetRequest(reader, "1.3.6.1.2.1.33.1.9.7.0", SnmpValue.Integer(5)), reader)!.ScopedPdu!.Pdu;
        SnmpPdu accepted = Exchange(f, SetRequest(writer, "1.3.6.1.2.1.33.1.9.7.0", SnmpValue.Integer(5)), writer)!.ScopedPdu!.Pdu;

        Assert.AreEqual((int)SnmpErrorStatus.NoAccess, refused.ErrorStatus);
        Assert.AreEqual((int)SnmpErrorStatus.NoError, accepted.ErrorStatus);
        CollectionAssert.AreEqual(new[] { "SET battery.runtime.low 300" }, f.Commands.Calls.ToArray(), "5 minutes");
    }

    [TestMethod]
    public void A_context_name_other_than_the_default_is_an_unknown_context()
    {
        var f = Fixture();
        UsmUser user = User("upsauth", "authonly123", null);
        SnmpV3Message request = Request(user, 7, 0, SnmpPduType.GetRequest, "1.3.6.1.2.1.1.1.0");
        request = request with { ScopedPdu = request.ScopedPdu! with { ContextName = Encoding.ASCII.GetBytes("public") } };

        SnmpV3Message report = Exchange(f, request, user)!;

        Assert.AreEqual(SnmpPduType.Report, report.ScopedPdu!.Pdu.Type);
        Assert.AreEqual("1.3.6.1.6.3.12.1.5.0", report.ScopedPdu.Pdu.VarBinds.Single().Name.ToString());
    }

    [TestMethod]
    public void An_unauthenticated_request_of_a_known_user_is_not_authorised()
    {
        var f = Fixture();
        SnmpV3Message request = Request(User("upsauth", "authonly123", null), 7, 0, SnmpPduType.GetRequest, "1.3.6.1.2.1.1.1.0");

        SnmpV3Message answer = Exchange(f, request with { Flags = SnmpV3Flags.Reportable }, null)!;

        Assert.AreEqual((int)SnmpErrorStatus.AuthorizationError, answer.ScopedPdu!.Pdu.ErrorStatus);
    }

    [TestMethod]
    public void Engine_and_usm_counters_are_readable()
    {
        var f = Fixture();
        UsmUser user = User("upsauth", "authonly123", null);
        UsmUser wrong = User("upsauth", "wrongpass1", null);
        _ = Exchange(f, Request(wrong, 7, 0, SnmpPduType.GetRequest, "1.3.6.1.2.1.1.1.0"), wrong);

        SnmpPdu answer = Exchange(f, Request(user, 7, 0, SnmpPduType.GetRequest, "1.3.6.1.6.3.10.2.1.1.0", "1.3.6.1.6.3.10.2.1.2.0", "1.3.6.1.6.3.15.1.1.5.0"), user)!.ScopedPdu!.Pdu;

        Assert.AreEqual(SnmpValue.OctetString(EngineId), answer.VarBinds[0].Value);
        Assert.AreEqual(SnmpValue.Integer(7), answer.VarBinds[1].Value);
        Assert.AreEqual(SnmpValue.Counter32(1), answer.VarBinds[2].Value);
    }

    private static SnmpV3Message Request(UsmUser user, int boots, int time, SnmpPduType type, params string[] names)
    {
        var pdu = new SnmpPdu(type, 4242, 0, type == SnmpPduType.GetBulkRequest ? 10 : 0, names.Select(n => new VarBind(ObjectIdentifier.Parse(n), SnmpValue.Null)).ToList());
        byte[] salt = user.PrivProtocol == UsmPrivProtocol.None ? [] : Convert.FromHexString("0000000100000002");
        return new SnmpV3Message(99, 65507, user.Level | SnmpV3Flags.Reportable, new UsmSecurityParameters(EngineId, boots, time, user.Name, [], salt),
            new ScopedPdu(EngineId, [], pdu), null);
    }

    private static SnmpV3Message SetRequest(UsmUser user, string name, SnmpValue value)
    {
        SnmpV3Message request = Request(user, 7, 0, SnmpPduType.SetRequest, name);
        return request with { ScopedPdu = request.ScopedPdu! with { Pdu = request.ScopedPdu.Pdu with { VarBinds = [new VarBind(ObjectIdentifier.Parse(name), value)] } } };
    }

    private static byte[] Raw(SnmpAgentFixture f, SnmpV3Message request, UsmUser sender)
    {
        byte[] wire = new byte[4096];
        Assert.IsTrue(SnmpV3MessageCodec.TryEncodeSecured(request, sender, wire, out int written));
        byte[] response = new byte[65_507];
        int length = f.Agent.Handle(wire.AsSpan(0, written), response);
        Assert.IsGreaterThan(0, length, "the agent answered");
        return response[..length];
    }

    private static SnmpV3Message Decode(SnmpAgentFixture f, byte[] request)
    {
        byte[] response = new byte[65_507];
        int length = f.Agent.Handle(request, response);
        Assert.IsGreaterThan(0, length, "the agent answered");
        Assert.IsTrue(SnmpV3MessageCodec.TryDecode(response.AsSpan(0, length), out SnmpV3Message? answer, out _));
        return answer;
    }

    /// <summary>Sends a request secured with <paramref name="sender"/>'s keys and opens an authenticated answer with the same keys.</summary>
    private static SnmpV3Message? Exchange(SnmpAgentFixture f, SnmpV3Message request, UsmUser? sender)
    {
        byte[] wire = new byte[4096];
        Assert.IsTrue(SnmpV3MessageCodec.TryEncodeSecured(request, sender, wire, out int written));
        byte[] response = new byte[65_507];
        int length = f.Agent.Handle(wire.AsSpan(0, written), response);
        if (length == 0)
        {
            return null;
        }

        Assert.IsTrue(SnmpV3MessageCodec.TryDecode(response.AsSpan(0, length), out SnmpV3Message? answer, out _));
        if (answer.IsAuthenticated)
        {
            Assert.IsNotNull(sender, "an authenticated answer to an unauthenticated request");
            Assert.IsTrue(SnmpV3MessageCodec.Authenticate(response.AsSpan(0, length), answer, sender), "the answer carries the user's MAC");
        }

        if (answer.IsEncrypted)
        {
            Assert.IsTrue(SnmpV3MessageCodec.TryDecrypt(answer, sender!, out ScopedPdu? scoped));
            answer = answer with { ScopedPdu = scoped, EncryptedPdu = null };
        }

        return answer;
    }
}
