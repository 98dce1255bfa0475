using System.Net;
using UpsAgent.Configuration;

namespace UpsAgent.Tests.Configuration;

[TestClass]
public sealed class AgentConfigLoaderTests
{
    private const string Full = """
        # a commented configuration
        [agent]
        control-socket = /tmp/x/ctl.sock
        log-level = debug

        [nut]
        listen = 127.0.0.1:13493
        listen = [::1]:13494   # a second listener
        max-connections = 50
        idle-timeout = 120
        socket-loops = 0

        [ups ups]
        driver = simulated
        description = "Rack \"B\" UPS # 1"
        file = builtin:outage
        mode = once

        [ups spare]
        [user admin]
        password = secret
        actions = SET FSD
        instcmds = ALL
        [user mon]
        password = "pa ss"
        upsmon = slave
        """;

    [TestMethod]
    public void A_full_file_is_read_with_every_key()
    {
        AgentConfig c = AgentConfigLoader.Load(Full, "test.conf");
        Assert.AreEqual("/tmp/x/ctl.sock", c.ControlSocket);
        Assert.AreEqual(Microsoft.Extensions.Logging.LogLevel.Debug, c.LogLevel);
        CollectionAssert.AreEqual(new[] { IPEndPoint.Parse("127.0.0.1:13493"), IPEndPoint.Parse("[::1]:13494") }, c.Nut.Listen);
        Assert.AreEqual(50, c.Nut.MaxConnections);
        Assert.AreEqual(TimeSpan.FromSeconds(120), c.Nut.IdleTimeout);
        Assert.AreEqual(0, c.Nut.SocketLoops);
        Assert.AreEqual(-1, AgentConfigLoader.Defaults().Nut.SocketLoops, "auto by default");
        Assert.AreEqual(-1, AgentConfigLoader.Load("[nut]\nsocket-loops = auto\n[ups a]\n", "t.conf").Nut.SocketLoops);
        Assert.AreEqual(2, c.Ups.Count);
        Assert.AreEqual("Rack \"B\" UPS # 1", c.Ups[0].Description);
        Assert.AreEqual("simulated", c.Ups[1].Driver);
        Assert.AreEqual("secondary", c.Users[1].UpsmonRole);
        Assert.AreEqual("pa ss", c.Users[1].Password);
        CollectionAssert.AreEqual(new[] { "SET", "FSD" }, c.Users[0].Actions);
    }

    [TestMethod]
    public void Defaults_serve_one_simulated_ups_named_ups_on_loopback()
    {
        AgentConfig c = AgentConfigLoader.Defaults();
        Assert.AreEqual("ups", c.Ups.Single().Name);
        Assert.AreEqual("simulated", c.Ups.Single().Driver);
        Assert.AreEqual(IPEndPoint.Parse("127.0.0.1:3493"), c.Nut.Listen.Single());
    }

    [TestMethod]
    public void Listen_defaults_to_loopback_when_the_nut_section_omits_it()
    {
        AgentConfig c = AgentConfigLoader.Load("[ups a]\n", "t.conf");
        Assert.AreEqual(IPEndPoint.Parse("127.0.0.1:3493"), c.Nut.Listen.Single());
    }

    [TestMethod]
    [DataRow("[nut]\nlisten = nowhere\n[ups a]\n", "t.conf:2: listen:", "ADDRESS[:PORT]")]
    [DataRow("[nut]\nmax-connections = -4\n[ups a]\n", "t.conf:2: max-connections:", "whole number")]
    [DataRow("[nut]\nsocket-loops = 65\n[ups a]\n", "t.conf:2: socket-loops:", "whole number")]
    [DataRow("[frob]\n", "t.conf:1:", "unknown section [frob]")]
    [DataRow("key = 1\n", "t.conf:1: key:", "inside a section")]
    [DataRow("[ups a]\ndescription = \"open\n", "t.conf:2: description:", "closing")]
    [DataRow("[ups a]\n[ups A]\n", "t.conf:2:", "configured twice")]
    [DataRow("[ups]\n", "t.conf:1:", "needs a name")]
    [DataRow("[ups a b c]\n", "t.conf:1:", "[kind NAME]")]
    [DataRow("[ups a]\n[user u]\nactions = SET\n", "t.conf:2:", "no password")]
    [DataRow("[ups a]\n[user u]\npassword = x\nactions = DANCE\n", "t.conf:4: actions:", "unknown action")]
    [DataRow("[ups a]\n[user u]\npassword = x\nupsmon = boss\n", "t.conf:4: upsmon:", "primary or secondary")]
    [DataRow("[agent]\nlog-level = loud\n[ups a]\n", "t.conf:2: log-level:", "debug")]
    [DataRow("[nut]\n", "t.conf:1:", "no [ups NAME]")]
    [DataRow("[ups a]\nthis line has no equals\n", "t.conf:2:", "key = value")]
    [DataRow("[ups bad/name]\n", "t.conf:1:", "letters, digits")]
    public void Mistakes_name_file_line_and_key(string text, string location, string problem)
    {
        var e = Assert.ThrowsExactly<ConfigException>(() => AgentConfigLoader.Load(text, "t.conf"));
        StringAssert.StartsWith(e.Message, location);
        StringAssert.Contains(e.Message, problem);
    }

    [TestMethod]
    public void A_missing_file_is_a_config_error_naming_it()
    {
        var e = Assert.ThrowsExactly<ConfigException>(() => AgentConfigLoader.LoadFile("/nonexistent/upsagent.conf"));
        StringAssert.Contains(e.Message, "/nonexistent/upsagent.conf");
    }

    [TestMethod]
    [DataRow("127.0.0.1", "127.0.0.1:3493")]
    [DataRow("0.0.0.0:1234", "0.0.0.0:1234")]
    [DataRow("[::1]:99", "[::1]:99")]
    [DataRow("localhost:77", "127.0.0.1:77")]
    [DataRow("127.0.0.1:0", "127.0.0.1:0")]
    public void Endpoints_parse_with_a_default_port(string text, string expected) =>
        Assert.AreEqual(IPEndPoint.Parse(expected), AgentConfigLoader.ParseEndpoint(text, 3493));
}
