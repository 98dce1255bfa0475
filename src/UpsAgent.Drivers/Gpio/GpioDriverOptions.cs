using System.Device.Gpio;

namespace UpsAgent.Drivers.Gpio;

/// <summary>What one <c>[ups NAME]</c> section with <c>driver = gpio</c> says (NUT's generic_gpio plus a power-off line).</summary>
public sealed record GpioDriverOptions
{
    /// <summary>The chip as NUT's port names it: gpiochip0, /dev/gpiochip0 or 0.</summary>
    public string Chip { get; init; } = "gpiochip0";

    public required GpioRules Rules { get; init; }

    /// <summary>Input mode of the status lines: plain, or with the SoC's pull-up or pull-down (open-collector outputs need pull-up).</summary>
    public PinMode InputMode { get; init; } = PinMode.Input;

    /// <summary>Lines are also read this often, in case an edge was missed; and a failed chip is retried this often.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>An output line that cuts the UPS's power when pulsed (Geekworm X728's GPIO26), offered as load.off and shutdown.stayoff.</summary>
    public int? ShutdownLine { get; init; }

    public bool ShutdownActiveHigh { get; init; } = true;

    public TimeSpan ShutdownPulse { get; init; } = TimeSpan.FromSeconds(4);

    /// <summary>ups.mfr and ups.model to show, since a contact-closure UPS cannot say.</summary>
    public string? Manufacturer { get; init; }

    public string? Model { get; init; }

    /// <summary>The chip's number in /dev/gpiochipN.</summary>
    public int ChipNumber => ParseChip(Chip) ?? throw new FormatException($"'{Chip}' is not a GPIO chip (gpiochipN, /dev/gpiochipN or N)");

    public static int? ParseChip(string chip)
    {
        ArgumentNullException.ThrowIfNull(chip);
        string text = chip.StartsWith("/dev/", StringComparison.Ordinal) ? chip[5..] : chip;
        text = text.StartsWith("gpiochip", StringComparison.Ordinal) ? text[8..] : text;
        return text.Length is > 0 and <= 3 && text.All(char.IsAsciiDigit) ? int.Parse(text, System.Globalization.CultureInfo.InvariantCulture) : null;
    }
}
