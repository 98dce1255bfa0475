using Microsoft.Extensions.Logging.Abstractions;
using UpsAgent.Configuration;
using UpsAgent.Core.State;
using UpsAgent.Core.Timing;
using UpsAgent.Drivers;
using UpsAgent.Drivers.Snmp;
using UpsAgent.Hosting;
using UpsAgent.Protocols.Snmp;

namespace UpsAgent.Tests.Configuration;

[TestClass]
public sealed class SnmpDriverConfigTests
{
    [TestMethod]
    public void A_snmp_section_builds_the_snmp_driver_with_its_settings()
    {
        AgentConfig config = AgentConfigLoader.Load(
            "[ups rack]\ndriver = snmp\nhost = 192.0.2.10\nport = 1161\ncommunity = ups-ro\nversion = 2c\nmibs = apc\npollinterval = 2.5\ntimeout = 0.5\nretries = 2\n", "t.conf");

        SnmpDriverOptions options = SnmpDriverConfigReader.Read(config.Ups[0], ["driver", "description"]);
        IUpsDriver driver = DriverFactory.Create(config.Ups[0], new UpsStateStore("rack", "", new SystemClock()).CreateWriter(), new SystemClock(), NullLogger.Instance);

        Assert.IsInstanceOfType<SnmpDriver>(driver);
        Assert.AreEqual("192.0.2.10:1161", options.Target);
        Assert.AreEqual("ups-ro", options.Community);
        Assert.AreEqual(SnmpVersion.V2c, options.Version);
        Assert.AreEqual(SnmpMibChoice.Apc, options.Mibs);
        Assert.AreEqual(TimeSpan.FromSeconds(2.5), options.PollInterval);
        Assert.AreEqual(TimeSpan.FromSeconds(0.5), options.Client.Timeout);
        Assert.AreEqual(2, options.Client.Retries);
    }

    [TestMethod]
    public void Defaults_are_nut_snmp_ups_defaults()
    {
        AgentConfig config = AgentConfigLoader.Load("[ups rack]\ndriver = snmp\nhost = ups-card.example\n", "t.conf");

        SnmpDriverOptions options = SnmpDriverConfigReader.Read(config.Ups[0], ["driver", "description"]);

        Assert.AreEqual("ups-card.example:161", options.Target);
        Assert.AreEqual("public", options.Community);
        Assert.AreEqual(SnmpVersion.V1, options.Version);
        Assert.AreEqual(SnmpMibChoice.Auto, options.Mibs);
        Assert.AreEqual(TimeSpan.FromSeconds(1), options.Client.Timeout);
        Assert.AreEqual(5, options.Client.Retries);
    }

    [TestMethod]
    public void Snmpv3_takes_nut_s_key_names_and_defaults_to_md5_as_nut_does()
    {
        AgentConfig config = AgentConfigLoader.Load(
            "[ups rack]\ndriver = snmp\nhost = 10.0.0.1\nversion = 3\nsecLevel = authPriv\nsecName = upsuser\nauthPassword = authpass123\nprivProtocol = AES\nprivPassword = privpass123\ncontext = apc\n",
            "t.conf");

        SnmpDriverOptions options = SnmpDriverConfigReader.Read(config.Ups[0], ["driver", "description"]);

        Assert.AreEqual(SnmpVersion.V3, options.Version);
        Assert.IsNotNull(options.V3);
        Assert.AreEqual("upsuser", options.V3.UserName);
        Assert.AreEqual(UsmAuthProtocol.Md5, options.V3.AuthProtocol);
        Assert.AreEqual(UsmPrivProtocol.Aes128, options.V3.PrivProtocol);
        Assert.AreEqual("authPriv", options.V3.Level);
        Assert.AreEqual("apc", options.V3.Context);
    }

    [TestMethod]
    [DataRow("[ups a]\ndriver = snmp\n", "t.conf:2: driver:", "needs 'host = ADDRESS'")]
    [DataRow("[ups a]\ndriver = snmp\nhost = 10.0.0.1\nport = 70000\n", "t.conf:4: port:", "UDP port")]
    [DataRow("[ups a]\ndriver = snmp\nhost = 10.0.0.1\nversion = 2\n", "t.conf:4: version:", "expected 1, 2c or 3")]
    [DataRow("[ups a]\ndriver = snmp\nhost = 10.0.0.1\nmibs = mge\n", "t.conf:4: mibs:", "expected auto, ietf or apc")]
    [DataRow("[ups a]\ndriver = snmp\nhost = 10.0.0.1\npollinterval = 0\n", "t.conf:4: pollinterval:", "seconds")]
    [DataRow("[ups a]\ndriver = snmp\nhost = 10.0.0.1\nretries = -1\n", "t.conf:4: retries:", "retries")]
    [DataRow("[ups a]\ndriver = snmp\nhost = 10.0.0.1\nfile = builtin:online\n", "t.conf:4: file:", "unknown key for driver 'snmp'")]
    [DataRow("[ups a]\ndriver = snmp\nhost = 10.0.0.1\nversion = 3\n", "t.conf:4: version:", "needs 'secname = USER'")]
    [DataRow("[ups a]\ndriver = snmp\nhost = 10.0.0.1\nversion = 3\nsecname = u\nseclevel = authPriv\nauthpassword = authpass123\nprivpassword = privpass123\n", "t.conf:6: seclevel:", "privprotocol = AES")]
    [DataRow("[ups a]\ndriver = snmp\nhost = 10.0.0.1\nversion = 3\nsecname = u\nseclevel = authNoPriv\nauthpassword = short\n", "t.conf:6: seclevel:", "at least 8 characters")]
    [DataRow("[ups a]\ndriver = snmp\nhost = 10.0.0.1\nprivprotocol = DES\n", "t.conf:4: privprotocol:", "expected AES")]
    [DataRow("[ups a]\ndriver = snmp\nhost = 10.0.0.1\nauthprotocol = SHA512\n", "t.conf:4: authprotocol:", "MD5, SHA or SHA256")]
    public void Bad_snmp_keys_are_reported_with_their_location(string text, string location, string problem)
    {
        AgentConfig config = AgentConfigLoader.Load(text, "t.conf");

        var e = Assert.ThrowsExactly<ConfigException>(() => DriverFactory.Validate(config));

        StringAssert.StartsWith(e.Message, location);
        StringAssert.Contains(e.Message, problem);
    }
}
