namespace UpsAgent.Drivers.I2c;

/// <summary>One read of a battery gauge chip. Current is positive while charging, negative while discharging.</summary>
public readonly record struct GaugeReading(double Volts, double? Amps, double? ChargePercent);

/// <summary>A battery gauge chip on an I2C bus (INA219 current monitor, MAX1704x fuel gauge).</summary>
public interface IBatteryGauge : IDisposable
{
    /// <summary>The chip's name for driver.parameter.chip.</summary>
    string Chip { get; }

    /// <exception cref="IOException">The bus or chip did not answer.</exception>
    GaugeReading Read();
}
