using System.Device.I2c;
using Iot.Device.Adc;

namespace UpsAgent.Drivers.I2c;

/// <summary>
/// A TI INA219 current monitor as UPS HATs wire it (Waveshare UPS HAT: 0.1 Ω shunt, 32 V range),
/// read with the Iot.Device.Bindings INA219 binding: bus voltage as the battery voltage, and the
/// current register as the battery current. The binding reads that register unsigned, so negative
/// (discharging) currents are corrected here, as the vendor's own script does.
/// </summary>
public sealed class Ina219Gauge : IBatteryGauge
{
    /// <summary>Calibration for a 0.1 Ω shunt with a current LSB of 0.1 mA (Waveshare's values).</summary>
    public const ushort Calibration = 4096;

    public const float CurrentLsbAmps = 0.0001f;

    private readonly Ina219 _chip;

    public Ina219Gauge(I2cDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        _chip = new Ina219(device);
        _chip.SetCalibration(Calibration, CurrentLsbAmps);
    }

    public string Chip => "ina219";

    public GaugeReading Read()
    {
        double volts = _chip.ReadBusVoltage().Volts;
        double amps = _chip.ReadCurrent().Amperes;
        long counts = (long)Math.Round(amps / CurrentLsbAmps);
        if (counts > short.MaxValue)
        {
            counts -= 1 << 16; // two's complement register read as unsigned
        }

        return new GaugeReading(volts, counts * (double)CurrentLsbAmps, null);
    }

    public void Dispose() => _chip.Dispose();
}
