using System.Device.Gpio;
using Microsoft.Extensions.Logging.Abstractions;
using UpsAgent.Core.State;
using UpsAgent.Core.Timing;
using UpsAgent.Drivers.I2c;
using UpsAgent.Drivers.Tests.Gpio;

namespace UpsAgent.Drivers.Tests.I2c;

[TestClass]
public sealed class I2cUpsDriverTests
{
    private static readonly I2cDriverOptions Waveshare = new()
    {
        Chip = "ina219", Address = 0x42, EmptyVolts = 6.0, FullVolts = 8.4, PollInterval = TimeSpan.FromMilliseconds(20),
        Manufacturer = "Waveshare", Model = "UPS HAT",
    };

    private static readonly I2cDriverOptions X728 = new()
    {
        Chip = "max17040", Address = 0x36, EmptyVolts = 3.0, FullVolts = 4.2, PowerLine = 6, PowerLostWhenHigh = true,
        PollInterval = TimeSpan.FromMilliseconds(20),
    };

    private static I2cUpsDriver Driver(I2cDriverOptions options) =>
        new(new UpsStateStore("hat", "HAT", new SystemClock()).CreateWriter(), options, new SystemClock(), NullLogger.Instance,
            () => throw new IOException("not used"), options.PowerLine is null ? null : () => throw new IOException("not used"));

    [TestMethod]
    [DataRow(8.30, 0.40, "OL CHRG", "96")]
    [DataRow(8.40, 0.01, "OL", "100")]
    [DataRow(7.20, -0.60, "OB DISCHRG", "50")]
    [DataRow(6.48, -0.90, "OB LB DISCHRG", "20")]
    [DataRow(5.50, -0.90, "OB LB DISCHRG", "0")]
    public void Without_a_power_line_the_current_says_mains_or_battery_and_the_voltage_the_charge(double volts, double amps, string status, string charge)
    {
        Dictionary<string, string> values = Driver(Waveshare).Values(new GaugeReading(volts, amps, null), mainsLost: null);
        Assert.AreEqual(status, values["ups.status"]);
        Assert.AreEqual(charge, values["battery.charge"]);
        Assert.AreEqual(amps.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture), values["battery.current"]);
        Assert.AreEqual("20", values["battery.charge.low"]);
        Assert.AreEqual("Waveshare", values["ups.mfr"]);
    }

    [TestMethod]
    [DataRow(false, 87.5, "OL", "88")]
    [DataRow(true, 87.5, "OB DISCHRG", "88")]
    [DataRow(true, 19.6, "OB LB DISCHRG", "20")]
    [DataRow(false, 10.0, "OL", "10")]
    public void With_a_power_line_the_line_says_mains_or_battery(bool lost, double percent, string status, string charge)
    {
        Dictionary<string, string> values = Driver(X728).Values(new GaugeReading(3.9, null, percent), lost);
        Assert.AreEqual(status, values["ups.status"]);
        Assert.AreEqual(charge, values["battery.charge"]);
        Assert.IsFalse(values.ContainsKey("battery.current"));
    }

    [TestMethod]
    public async Task An_x728_follows_its_power_line_and_gauge_and_goes_stale_when_the_bus_fails()
    {
        var gaugeChip = new FakeI2cDevice(1, 0x36);
        gaugeChip[0x02] = (ushort)(3200 << 4); // 4.0 V
        gaugeChip[0x04] = 90 * 256;
        var gpio = new FakeGpioDriver();
        var store = new UpsStateStore("hat", "HAT", new SystemClock());
        int opened = 0;
        var driver = new I2cUpsDriver(store.CreateWriter(), X728, new SystemClock(), NullLogger.Instance,
            () => { Interlocked.Increment(ref opened); return new Max1704xGauge(gaugeChip); }, () => new GpioController(gpio));
        using var stop = new CancellationTokenSource();
        Task run = driver.RunAsync(stop.Token);

        async Task Until(Func<bool> condition, string what)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (!condition())
            {
                Assert.IsLessThan(deadline, DateTime.UtcNow, $"timed out waiting until {what}: {store.Current.GetValue("ups.status")} {store.Current.DataState}");
                await Task.Delay(5);
            }
        }

        await Until(() => store.Current.GetValue("ups.status") == "OL", "online");
        Assert.AreEqual("4.00", store.Current.GetValue("battery.voltage"));
        Assert.AreEqual("90", store.Current.GetValue("battery.charge"));
        Assert.AreEqual("0x36", store.Current.GetValue("driver.parameter.address"));

        gpio.SetInput(6, PinValue.High);
        await Until(() => store.Current.GetValue("ups.status") == "OB DISCHRG", "on battery");
        gaugeChip[0x04] = 15 * 256;
        await Until(() => store.Current.GetValue("ups.status") == "OB LB DISCHRG", "low battery");

        gaugeChip.Fault = new IOException("Remote I/O error");
        await Until(() => store.Current.DataState == UpsDataState.Stale, "stale while the bus fails");
        Assert.IsTrue(gaugeChip.Disposed, "the failed device was closed for a fresh open");
        Assert.IsFalse(run.IsCompleted);
        gaugeChip.Fault = null;
        await Until(() => store.Current.DataState == UpsDataState.Fresh && opened >= 2, "fresh after reopening");

        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.AreEqual(UpsDataState.NotConnected, store.Current.DataState);
    }

    [TestMethod]
    public async Task On_this_host_without_that_bus_the_real_device_fails_cleanly()
    {
        var store = new UpsStateStore("hat", "HAT", new SystemClock());
        var driver = new I2cUpsDriver(store.CreateWriter(), Waveshare with { Bus = 250 }, new SystemClock(), NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        Task run = driver.RunAsync(stop.Token);
        await Task.Delay(200);
        Assert.IsFalse(run.IsCompleted, "the driver keeps running without /dev/i2c-250");
        Assert.AreEqual(UpsDataState.Waiting, store.Current.DataState);
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
