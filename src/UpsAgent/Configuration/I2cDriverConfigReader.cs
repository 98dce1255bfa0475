using System.Globalization;
using UpsAgent.Drivers.I2c;

namespace UpsAgent.Configuration;

/// <summary>
/// The keys of a <c>[ups NAME]</c> section with <c>driver = i2c</c>: a known HAT by name, or the gauge
/// chip, bus and address; the battery's voltage curve; and the power-loss line where there is one.
/// Keys given beside <c>hat</c> override what the HAT sets.
/// </summary>
public static class I2cDriverConfigReader
{
    public static IReadOnlyList<string> Keys { get; } =
    [
        "hat", "chip", "bus", "address", "battery-empty", "battery-full", "lowbatt", "current-threshold",
        "power-line", "power-lost", "gpio-port", "pollinterval", "mfr", "model",
    ];

    private static readonly string[] Chips = ["ina219", "max17040"];

    /// <exception cref="ConfigException">A key is unknown, a value bad, or the chip not given.</exception>
    public static I2cDriverOptions Read(UpsSettings ups, IReadOnlyCollection<string> commonKeys)
    {
        var options = new I2cDriverOptions { Chip = string.Empty, Address = -1 };
        ConfigEntry? hatEntry = ups.Section.Entries.LastOrDefault(e => e.Key == "hat");
        if (hatEntry is not null)
        {
            I2cHat hat = I2cHat.Find(hatEntry.Value.Trim())
                ?? throw hatEntry.Error($"no known HAT '{hatEntry.Value}'; known: {string.Join(", ", I2cHat.Known.Select(h => h.Name))} (or give chip and address)");
            options = options with
            {
                Chip = hat.Chip,
                Address = hat.Address,
                EmptyVolts = hat.EmptyVolts,
                FullVolts = hat.FullVolts,
                PowerLine = hat.PowerLine,
                PowerLostWhenHigh = hat.PowerLostWhenHigh,
                Manufacturer = hat.Manufacturer,
                Model = hat.Model,
            };
        }

        ConfigEntry? last = hatEntry;
        foreach (ConfigEntry e in ups.Section.Entries)
        {
            switch (e.Key)
            {
                case "hat":
                    break;
                case "chip":
                    options = options with
                    {
                        Chip = Chips.Contains(e.Value.ToLowerInvariant())
                            ? e.Value.ToLowerInvariant()
                            : throw e.Error($"'{e.Value}' is not a gauge chip this driver reads; expected {string.Join(" or ", Chips)}"),
                    };
                    break;
                case "bus":
                    options = options with { Bus = ConfigValues.Integer(e, 0, 255, "an I2C bus number (/dev/i2c-N)") };
                    break;
                case "address":
                    options = options with { Address = Address(e) };
                    break;
                case "battery-empty":
                    options = options with { EmptyVolts = Volts(e) };
                    break;
                case "battery-full":
                    options = options with { FullVolts = Volts(e) };
                    break;
                case "lowbatt":
                    options = options with { LowBatteryPercent = ConfigValues.Integer(e, 0, 100, "a charge in percent (0-100)") };
                    break;
                case "current-threshold":
                    options = options with
                    {
                        CurrentThresholdAmps = double.TryParse(e.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double amps) && amps is >= 0 and <= 10
                            ? amps
                            : throw e.Error($"'{e.Value}' is not a current in amperes (0-10)"),
                    };
                    break;
                case "power-line":
                    options = options with
                    {
                        PowerLine = e.Value.Trim().Equals("none", StringComparison.OrdinalIgnoreCase)
                            ? null
                            : ConfigValues.Integer(e, 0, 1023, "a GPIO line number (0-1023) or none"),
                    };
                    break;
                case "power-lost":
                    options = options with { PowerLostWhenHigh = ConfigValues.HighOrLow(e) };
                    break;
                case "gpio-port":
                    options = options with { GpioChip = ConfigValues.GpioChip(e) };
                    break;
                case "pollinterval":
                    options = options with { PollInterval = ConfigValues.Seconds(e, 0.05, 3600) };
                    break;
                case "mfr":
                    options = options with { Manufacturer = e.Value };
                    break;
                case "model":
                    options = options with { Model = e.Value };
                    break;
                default:
                    ConfigValues.RequireKnown(e, "i2c", commonKeys, Keys);
                    break;
            }

            last = e;
        }

        ConfigEntry where = last ?? ups.Section.Entries.LastOrDefault(x => x.Key == "driver") ?? throw ups.Section.Error("driver 'i2c' needs 'hat = NAME' or 'chip' and 'address'");
        if (options.Chip.Length == 0 || options.Address < 0)
        {
            throw where.Error($"driver 'i2c' needs 'hat = NAME' ({string.Join(", ", I2cHat.Known.Select(h => h.Name))}) or 'chip' and 'address'");
        }

        if (!(options.EmptyVolts < options.FullVolts))
        {
            throw where.Error(FormattableString.Invariant($"battery-empty ({options.EmptyVolts} V) must be below battery-full ({options.FullVolts} V)"));
        }

        if (options.Chip == "max17040" && options.PowerLine is null)
        {
            throw where.Error("a max17040 measures no current, so it cannot tell mains from battery: give 'power-line = N' (the HAT's power-loss GPIO)");
        }

        return options;
    }

    private static int Address(ConfigEntry e)
    {
        string text = e.Value.Trim();
        bool hex = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase);
        return int.TryParse(hex ? text[2..] : text, hex ? NumberStyles.AllowHexSpecifier : NumberStyles.None, CultureInfo.InvariantCulture, out int address) && address is >= 0x03 and <= 0x77
            ? address
            : throw e.Error($"'{e.Value}' is not a 7-bit I2C address (0x03-0x77)");
    }

    private static double Volts(ConfigEntry e) =>
        double.TryParse(e.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double volts) && volts is > 0 and <= 60
            ? volts
            : throw e.Error($"'{e.Value}' is not a battery voltage (0-60 V)");
}
