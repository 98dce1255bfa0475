namespace UpsAgent.Drivers.I2c;

/// <summary>A UPS HAT the i2c driver knows: its gauge chip and address, battery curve and power-loss line.</summary>
public sealed record I2cHat(
    string Name,
    string Manufacturer,
    string Model,
    string Chip,
    int Address,
    double EmptyVolts,
    double FullVolts,
    int? PowerLine,
    bool PowerLostWhenHigh)
{
    /// <summary>The HATs with a known wiring (vendor documentation and scripts).</summary>
    public static IReadOnlyList<I2cHat> Known { get; } =
    [
        new("waveshare-ups-hat", "Waveshare", "UPS HAT", "ina219", 0x42, 6.0, 8.4, null, false),
        new("waveshare-ups-hat-c", "Waveshare", "UPS HAT (C)", "ina219", 0x43, 3.0, 4.2, null, false),
        new("x728", "Geekworm", "X728", "max17040", 0x36, 3.0, 4.2, 6, true),
        new("x120x", "SupTronics", "X120x", "max17040", 0x36, 3.0, 4.2, 6, false),
    ];

    public static I2cHat? Find(string name) =>
        Known.FirstOrDefault(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase));
}
