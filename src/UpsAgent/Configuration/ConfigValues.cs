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
}
