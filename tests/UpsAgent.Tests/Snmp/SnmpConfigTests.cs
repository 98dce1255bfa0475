using System.Net;
using UpsAgent.Configuration;
using UpsAgent.Protocols.Snmp;
using UpsAgent.Servers.Snmp;

namespace UpsAgent.Tests.Snmp;

/// <summary>The [snmp] section's v3 users, trap receivers, community sources and engine settings, and its mistakes.</summary>
[TestClass]
public sealed class SnmpConfigTests
{
    [TestMethod]
    public void Users_receivers_and_community_sources_are_read()
    {
        AgentConfig config = AgentConfigLoader.Load("""
            [ups ups]
            [snmp]
            community = public ro localhost
            community = lan rw 192.168.1.0/24
            community = anyone ro default
            user = upsuser SHA authpass123 AES privpass123
            user = admin SHA-256 authpass256 AES privpass256 rw
            user = monitor SHA authonly123
            trap = 2c public 192.168.1.10
            trap = inform public 192.168.1.11:1162
            trap = 1 public [::1]:162
            engine-id = 0x80000000050102030405060708
            state-file = engine
            """, "/etc/upsagent/upsagent.conf");

        SnmpSettings snmp = config.Snmp;
        Assert.AreEqual(SnmpCommunity.Loopback, snmp.Communities[0].Source);
        Assert.AreEqual(IPNetwork.Parse("192.168.1.0/24"), snmp.Communities[1].Source);
        Assert.AreEqual(SnmpAccess.ReadWrite, snmp.Communities[1].Access);
        Assert.IsNull(snmp.Communities[2].Source);
        Assert.AreEqual(new SnmpUser("upsuser", UsmAuthProtocol.Sha1, "authpass123", UsmPrivProtocol.Aes128, "privpass123", SnmpAccess.ReadOnly), snmp.Users[0]);
        Assert.AreEqual(new SnmpUser("admin", UsmAuthProtocol.Sha256, "authpass256", UsmPrivProtocol.Aes128, "privpass256", SnmpAccess.ReadWrite), snmp.Users[1]);
        Assert.AreEqual(UsmPrivProtocol.None, snmp.Users[2].PrivProtocol);
        Assert.AreEqual(new SnmpTrapReceiver(SnmpNotificationKind.TrapV2c, "public", IPEndPoint.Parse("192.168.1.10:162")), snmp.TrapReceivers[0]);
        Assert.AreEqual(new SnmpTrapReceiver(SnmpNotificationKind.InformV2c, "public", IPEndPoint.Parse("192.168.1.11:1162")), snmp.TrapReceivers[1]);
        Assert.AreEqual(SnmpNotificationKind.TrapV1, snmp.TrapReceivers[2].Kind);
        Assert.AreEqual("80000000050102030405060708", Convert.ToHexString(snmp.EngineId!));
        Assert.AreEqual("/etc/upsagent/engine", snmp.StateFile, "relative to the configuration file");
    }

    [TestMethod]
    [DataRow("user = u SHA short", "at least 8 characters")]
    [DataRow("user = u SHA authpass123 DES privpass123", "DES privacy is not supported")]
    [DataRow("user = u SHA-512 authpass123", "not an authentication protocol")]
    [DataRow("user = u SHA authpass123 AES", "AES needs a privacy pass phrase")]
    [DataRow("user = u SHA authpass123 rw extra", "'extra' is unexpected")]
    [DataRow("trap = 3 public 127.0.0.1", "not 1, 2c or inform")]
    [DataRow("trap = 2c public", "1|2c|inform COMMUNITY ADDRESS[:PORT]")]
    [DataRow("community = public ro 300.1.1.1", "not default, localhost, an address or a network")]
    [DataRow("engine-id = 0x0102", "5 to 32 octets")]
    public void Mistakes_name_the_line_and_the_problem(string line, string problem)
    {
        ConfigException error = Assert.ThrowsExactly<ConfigException>(() => AgentConfigLoader.Load("[snmp]\n" + line + "\n[ups ups]\n", "test.conf"));
        StringAssert.Contains(error.Message, "test.conf:2");
        StringAssert.Contains(error.Message, problem);
    }

    [TestMethod]
    public void A_user_defined_twice_is_refused()
    {
        ConfigException error = Assert.ThrowsExactly<ConfigException>(() =>
            AgentConfigLoader.Load("[snmp]\nuser = u SHA authpass123\nuser = u SHA authpass456\n[ups ups]\n", "test.conf"));
        StringAssert.Contains(error.Message, "defined twice");
    }
}
