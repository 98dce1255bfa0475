using UpsAgent.Drivers.I2c;

namespace UpsAgent.Drivers.Tests.I2c;

[TestClass]
public sealed class BatteryGaugeTests
{
    private static ushort BusVoltageRegister(double volts) => (ushort)((int)Math.Round(volts / 0.004) << 3);

    private static ushort CurrentRegister(double amps) => unchecked((ushort)(short)Math.Round(amps / 0.0001));

    [TestMethod]
    [DataRow(8.40, 0.250)]
    [DataRow(7.20, -0.523)]
    [DataRow(6.40, -1.800)]
    [DataRow(8.00, 0.0)]
    public void Ina219_reads_volts_and_signed_amps_through_the_binding(double volts, double amps)
    {
        var chip = new FakeI2cDevice(1, 0x42);
        chip[0x02] = BusVoltageRegister(volts);
        chip[0x04] = CurrentRegister(amps);
        using var gauge = new Ina219Gauge(chip);

        GaugeReading reading = gauge.Read();

        Assert.AreEqual(volts, reading.Volts, 0.004);
        Assert.IsNotNull(reading.Amps);
        Assert.AreEqual(amps, reading.Amps.Value, 0.0002, "negative currents come back negative, not as 6.5 A");
        Assert.IsNull(reading.ChargePercent);
        Assert.AreEqual(Ina219Gauge.Calibration, chip[0x05], "the calibration register was written");
    }

    [TestMethod]
    [DataRow(4.00, 87.5)]
    [DataRow(3.45, 12.25)]
    [DataRow(4.20, 100.0)]
    public void Max17040_reads_cell_volts_and_its_own_charge(double volts, double percent)
    {
        var chip = new FakeI2cDevice(1, 0x36);
        chip[0x02] = (ushort)((int)Math.Round(volts / 1.25e-3) << 4);
        chip[0x04] = (ushort)Math.Round(percent * 256);
        using var gauge = new Max1704xGauge(chip);

        GaugeReading reading = gauge.Read();

        Assert.AreEqual(volts, reading.Volts, 0.00125);
        Assert.AreEqual(percent, reading.ChargePercent!.Value, 1.0 / 256);
        Assert.IsNull(reading.Amps);
    }

    [TestMethod]
    public void A_gauge_reporting_more_than_full_says_100()
    {
        var chip = new FakeI2cDevice(1, 0x36);
        chip[0x04] = 0xFFFF;
        using var gauge = new Max1704xGauge(chip);
        Assert.AreEqual(100.0, gauge.Read().ChargePercent);
    }
}
