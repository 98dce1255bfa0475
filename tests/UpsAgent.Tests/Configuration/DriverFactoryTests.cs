using UpsAgent.Configuration;
using UpsAgent.Hosting;

namespace UpsAgent.Tests.Configuration;

[TestClass]
public sealed class DriverFactoryTests
{
    [TestMethod]
    [DataRow("[ups a]\ndriver = usbhid-ups\n", "t.conf:2: driver:", "unknown driver 'usbhid-ups'")]
    [DataRow("[ups a]\nfile = builtin:nosuch\n", "t.conf:2: file:", "builtin:online")]
    [DataRow("[ups a]\nmode = sometimes\n", "t.conf:2: mode:", "loop or once")]
    [DataRow("[ups a]\nspeed = fast\n", "t.conf:2: speed:", "speed factor")]
    [DataRow("[ups a]\nport = /dev/ttyS0\n", "t.conf:2: port:", "unknown key for driver 'simulated'")]
    public void Driver_keys_are_checked_with_their_location(string text, string location, string problem)
    {
        AgentConfig config = AgentConfigLoader.Load(text, "t.conf");
        var e = Assert.ThrowsExactly<ConfigException>(() => DriverFactory.Validate(config));
        StringAssert.StartsWith(e.Message, location);
        StringAssert.Contains(e.Message, problem);
    }

    [TestMethod]
    public void A_definition_file_is_found_relative_to_the_configuration_and_its_errors_carry_its_line()
    {
        string dir = Directory.CreateTempSubdirectory("upsagent-cfg").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "good.dev"), "ups.status: OL\nbattery.charge: 90\n");
            File.WriteAllText(Path.Combine(dir, "bad.seq"), "ups.status: OL\nTIMER soon\n");
            string conf = Path.Combine(dir, "upsagent.conf");
            File.WriteAllText(conf, "[ups a]\nfile = good.dev\n[ups b]\nfile = bad.seq\n");
            AgentConfig config = AgentConfigLoader.LoadFile(conf);
            var e = Assert.ThrowsExactly<ConfigException>(() => DriverFactory.Validate(config));
            StringAssert.Contains(e.Message, "upsagent.conf:4: file:");
            StringAssert.Contains(e.Message, "bad.seq");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
