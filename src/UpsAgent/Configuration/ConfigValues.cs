using System.Globalization;

namespace UpsAgent.Configuration;

/// <summary>Number and duration values of configuration entries, with errors that name the file, line and key.</summary>
internal static class ConfigValues
{
    public static int Integer(ConfigEntry e, int minimum, int maximum, string what) =>
        int.TryParse(e.Value, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value >= minimum && value <= maximum
            ? value
            : throw e.Error($"'{e.Value}' is not {what}");

    public static TimeSpan Seconds(ConfigEntry e, double minimum, double maximum) =>
        double.TryParse(e.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) && seconds >= minimum && seconds <= maximum
            ? TimeSpan.FromSeconds(seconds)
            : throw e.Error(FormattableString.Invariant($"'{e.Value}' is not a number of seconds from {minimum} to {maximum}"));

    /// <summary>yes/no, true/false, on/off or 1/0.</summary>
    public static bool YesNo(ConfigEntry e) => e.Value.ToLowerInvariant() switch
    {
        "yes" or "true" or "on" or "1" => true,
        "no" or "false" or "off" or "0" => false,
        _ => throw e.Error($"'{e.Value}' is not yes or no"),
    };

    /// <summary>"high" or "low", as a line's active level: true for high.</summary>
    public static bool HighOrLow(ConfigEntry e) => e.Value.ToLowerInvariant() switch
    {
        "high" => true,
        "low" => false,
        _ => throw e.Error($"'{e.Value}' is not high or low"),
    };

    /// <summary>A GPIO chip as NUT's port names it (gpiochipN, /dev/gpiochipN or N), trimmed.</summary>
    public static string GpioChip(ConfigEntry e) =>
        UpsAgent.Drivers.Gpio.GpioDriverOptions.ParseChip(e.Value.Trim()) is null
            ? throw e.Error($"'{e.Value}' is not a GPIO chip; expected gpiochipN, /dev/gpiochipN or N")
            : e.Value.Trim();

    /// <summary>A key that is neither common to every UPS section nor one of this driver's.</summary>
    public static void RequireKnown(ConfigEntry e, string driver, IReadOnlyCollection<string> commonKeys, IEnumerable<string> keys)
    {
        if (!commonKeys.Contains(e.Key))
        {
            throw e.Error($"unknown key for driver '{driver}'; expected {string.Join(", ", commonKeys.Concat(keys))}");
        }
    }
}
