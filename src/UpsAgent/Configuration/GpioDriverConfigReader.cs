using System.Device.Gpio;
using UpsAgent.Drivers.Gpio;

namespace UpsAgent.Configuration;

/// <summary>
/// The keys of a <c>[ups NAME]</c> section with <c>driver = gpio</c>: NUT generic_gpio's <c>port</c> and
/// <c>rules</c>, the lines' bias, and an optional power-off output line.
/// </summary>
public static class GpioDriverConfigReader
{
    public static IReadOnlyList<string> Keys { get; } =
        ["port", "rules", "bias", "pollinterval", "shutdown-line", "shutdown-active", "shutdown-pulse", "mfr", "model"];

    /// <exception cref="ConfigException">A key is unknown, a value bad, or the rules missing.</exception>
    public static GpioDriverOptions Read(UpsSettings ups, IReadOnlyCollection<string> commonKeys)
    {
        GpioRules? rules = null;
        ConfigEntry? shutdownEntry = null;
        var options = new GpioDriverOptions { Rules = null! };
        foreach (ConfigEntry e in ups.Section.Entries)
        {
            switch (e.Key)
            {
                case "port":
                    options = options with { Chip = ConfigValues.GpioChip(e) };
                    break;
                case "rules":
                    try
                    {
                        rules = GpioRules.Parse(e.Value);
                    }
                    catch (FormatException f)
                    {
                        throw e.Error(f.Message);
                    }

                    break;
                case "bias":
                    options = options with
                    {
                        InputMode = e.Value.ToLowerInvariant() switch
                        {
                            "none" or "as-is" => PinMode.Input,
                            "pull-up" => PinMode.InputPullUp,
                            "pull-down" => PinMode.InputPullDown,
                            _ => throw e.Error($"'{e.Value}' is not none, pull-up or pull-down"),
                        },
                    };
                    break;
                case "pollinterval":
                    options = options with { PollInterval = ConfigValues.Seconds(e, 0.05, 3600) };
                    break;
                case "shutdown-line":
                    options = options with { ShutdownLine = ConfigValues.Integer(e, 0, 1023, "a GPIO line number (0-1023)") };
                    shutdownEntry = e;
                    break;
                case "shutdown-active":
                    options = options with { ShutdownActiveHigh = ConfigValues.HighOrLow(e) };
                    break;
                case "shutdown-pulse":
                    options = options with { ShutdownPulse = ConfigValues.Seconds(e, 0.01, 60) };
                    break;
                case "mfr":
                    options = options with { Manufacturer = e.Value };
                    break;
                case "model":
                    options = options with { Model = e.Value };
                    break;
                default:
                    ConfigValues.RequireKnown(e, "gpio", commonKeys, Keys);
                    break;
            }
        }

        if (rules is null)
        {
            ConfigEntry? driver = ups.Section.Entries.LastOrDefault(x => x.Key == "driver");
            const string problem = "driver 'gpio' needs 'rules = STATUS=LINE;...' (e.g. \"OL=^6;OB=6;\")";
            throw driver?.Error(problem) ?? ups.Section.Error(problem);
        }

        if (options.ShutdownLine is { } line && rules.Lines.Contains(line))
        {
            throw shutdownEntry!.Error($"line {line} is a status input in the rules; the power-off line must be another");
        }

        return options with { Rules = rules };
    }
}
