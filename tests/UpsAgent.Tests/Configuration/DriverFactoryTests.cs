using UpsAgent.Configuration;
using UpsAgent.Hosting;

namespace UpsAgent.Tests.Configuration;

[TestClass]
public sealed class DriverFactoryTests
{
    [TestMethod]
    [DataRow("ups@127.0.0.1", "ups", "127.0.0.1", 3493)]
    [DataRow("rack@nas.example.net:3494", "rack", "nas.example.net", 3494)]
    [DataRow("ups@[::1]:3493", "ups", "::1", 3493)]
    [DataRow("ups@[fe80::1]", "ups", "fe80::1", 3493)]
    public void A_nut_driver_port_is_read_as_upsc_reads_a_ups_name(string port, string ups, string host, int number)
    {
        AgentConfig config = AgentConfigLoader.Load($"[ups a]\ndriver = nut\nport = {port}\n", "t.conf");
        var options = NutDriverConfigReader.Read(config.Ups[0], ["driver", "description"]);
        Assert.AreEqual((ups, host, number), (options.Ups, options.Host, options.Port));
        Assert.IsNull(options.Username);
    }

    [TestMethod]
    public void An_i2c_hat_sets_the_wiring_and_keys_beside_it_override_it()
    {
        AgentConfig config = AgentConfigLoader.Load("[ups a]\ndriver = i2c\nbus = 3\nhat = x120x\nlowbatt = 30\n", "t.conf");
        var options = I2cDriverConfigReader.Read(config.Ups[0], ["driver", "description"]);
        Assert.AreEqual(("max17040", 0x36, 3, 6, false), (options.Chip, options.Address, options.Bus, options.PowerLine, options.PowerLostWhenHigh));
        Assert.AreEqual((30, "SupTronics"), (options.LowBatteryPercent, options.Manufacturer));

        config = AgentConfigLoader.Load("[ups a]\ndriver = i2c\nchip = ina219\naddress = 0x40\nbattery-empty = 3.0\nbattery-full = 4.2\n", "t.conf");
        options = I2cDriverConfigReader.Read(config.Ups[0], ["driver", "description"]);
        Assert.AreEqual(("ina219", 0x40, 1, (int?)null, 3.0, 4.2), (options.Chip, options.Address, options.Bus, options.PowerLine, options.EmptyVolts, options.FullVolts));
    }

    [TestMethod]
    public void A_gpio_section_for_a_ups_hat_is_read_whole()
    {
        AgentConfig config = AgentConfigLoader.Load(
            "[ups hat]\ndriver = gpio\nport = /dev/gpiochip4\nrules = \"OL=^6;OB=6;\"\nbias = pull-up\nshutdown-line = 26\nshutdown-pulse = 3.5\nmfr = Geekworm\nmodel = X728\n", "t.conf");
        var options = GpioDriverConfigReader.Read(config.Ups[0], ["driver", "description"]);
        Assert.AreEqual(4, options.ChipNumber);
        CollectionAssert.AreEqual(new[] { 6 }, options.Rules.Lines.ToArray());
        Assert.AreEqual(System.Device.Gpio.PinMode.InputPullUp, options.InputMode);
        Assert.AreEqual((26, true, TimeSpan.FromSeconds(3.5)), (options.ShutdownLine, options.ShutdownActiveHigh, options.ShutdownPulse));
        Assert.AreEqual(("Geekworm", "X728"), (options.Manufacturer, options.Model));
    }

    [TestMethod]
    [DataRow("[ups a]\ndriver = usbhid-ups\n", "t.conf:2: driver:", "unknown driver 'usbhid-ups'")]
    [DataRow("[ups a]\nfile = builtin:nosuch\n", "t.conf:2: file:", "builtin:online")]
    [DataRow("[ups a]\nmode = sometimes\n", "t.conf:2: mode:", "loop or once")]
    [DataRow("[ups a]\nspeed = fast\n", "t.conf:2: speed:", "speed factor")]
    [DataRow("[ups a]\nport = /dev/ttyS0\n", "t.conf:2: port:", "unknown key for driver 'simulated'")]
    [DataRow("[ups a]\ndriver = nut\n", "t.conf:2: driver:", "needs 'port = UPS@HOST[:PORT]'")]
    [DataRow("[ups a]\ndriver = gpio\n", "t.conf:2: driver:", "needs 'rules = STATUS=LINE;...'")]
    [DataRow("[ups a]\ndriver = i2c\n", "t.conf:2: driver:", "needs 'hat = NAME'")]
    [DataRow("[ups a]\ndriver = i2c\nhat = x999\n", "t.conf:3: hat:", "known: waveshare-ups-hat")]
    [DataRow("[ups a]\ndriver = i2c\nchip = bq27441\n", "t.conf:3: chip:", "expected ina219 or max17040")]
    [DataRow("[ups a]\ndriver = i2c\nchip = ina219\naddress = 0x99\n", "t.conf:4: address:", "7-bit I2C address")]
    [DataRow("[ups a]\ndriver = i2c\nchip = max17040\naddress = 0x36\n", "t.conf:4: address:", "cannot tell mains from battery")]
    [DataRow("[ups a]\ndriver = i2c\nhat = waveshare-ups-hat\nbattery-full = 5\n", "t.conf:4: battery-full:", "must be below battery-full")]
    [DataRow("[ups a]\ndriver = i2c\nhat = x728\npower-lost = sometimes\n", "t.conf:4: power-lost:", "high or low")]
    [DataRow("[ups a]\ndriver = gpio\nrules = OB=six\n", "t.conf:3: rules:", "expected a line number at 'six'")]
    [DataRow("[ups a]\ndriver = gpio\nrules = ONBATT=6\n", "t.conf:3: rules:", "not a NUT status token")]
    [DataRow("[ups a]\ndriver = gpio\nport = /dev/ttyS0\nrules = OB=6\n", "t.conf:3: port:", "not a GPIO chip")]
    [DataRow("[ups a]\ndriver = gpio\nrules = OB=6\nbias = sideways\n", "t.conf:4: bias:", "none, pull-up or pull-down")]
    [DataRow("[ups a]\ndriver = gpio\nrules = OB=6\nshutdown-line = 6\n", "t.conf:4: shutdown-line:", "must be another")]
    [DataRow("[ups a]\ndriver = gpio\nrules = OB=6\nshutdown-active = maybe\n", "t.conf:4: shutdown-active:", "high or low")]
    [DataRow("[ups a]\ndriver = nut\nport = 192.0.2.1\n", "t.conf:3: port:", "expected UPS@HOST[:PORT]")]
    [DataRow("[ups a]\ndriver = nut\nport = ups@host:99999\n", "t.conf:3: port:", "'99999' is not a TCP port")]
    [DataRow("[ups a]\ndriver = nut\nport = ups@fe80::1:3493\n", "t.conf:3: port:", "IPv6 address goes in brackets")]
    [DataRow("[ups a]\ndriver = nut\nport = ups@host\nusername = admin\n", "t.conf:4: username:", "'username' and 'password' go together")]
    [DataRow("[ups a]\ndriver = nut\nport = ups@host\npollinterval = 0\n", "t.conf:4: pollinterval:", "number of seconds")]
    [DataRow("[ups a]\ndriver = nut\nport = ups@host\ncommunity = public\n", "t.conf:4: community:", "unknown key for driver 'nut'")]
    [DataRow("[ups a]\ndriver = nut\nport = ups@host\ntls = always\n", "t.conf:4: tls:", "try, required or off")]
    [DataRow("[ups a]\ndriver = nut\nport = ups@host\ntls-verify = perhaps\n", "t.conf:4: tls-verify:", "yes or no")]
    [DataRow("[ups a]\ndriver = nut\nport = ups@host\ntls-ca = /nonexistent/ca.pem\ntls-verify = yes\n", "t.conf:4: tls-ca:", "no file /nonexistent/ca.pem")]
    [DataRow("[ups a]\ndriver = nut\nport = ups@host\ntls-ca = /etc/passwd\n", "t.conf:4: tls-ca:", "add tls-verify = yes")]
    [DataRow("[ups a]\ndriver = nut\nport = ups@host\ntls = off\ntls-verify = yes\n", "t.conf:5: tls-verify:", "needs TLS")]
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
