using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Globalization;
using UpsAgent.Core.State;

namespace UpsAgent.Drivers.Simulated;

/// <summary>
/// Flags, STRING:n, ENUM and RANGE for standard NUT variables (docs/nut-names.txt), since a
/// definition file carries values only. dummy-ups marks every variable RW; we mark only the
/// settings a real UPS lets you change, so <c>upsrw</c> shows what a user expects.
/// Variables not in the table are read-only: a string if the value is not a number.
/// </summary>
public static class SimulatedVariableTypes
{
    private const int DefaultStringLength = 32;

    private static readonly ImmutableArray<ValueRange> Percent = [new ValueRange(0, 100)];
    private static readonly ImmutableArray<ValueRange> DelaySeconds = [new ValueRange(0, 600)];
    private static readonly ImmutableArray<string> YesNo = ["yes", "no"];

    private static readonly FrozenDictionary<string, UpsVariable> Table = new UpsVariable[]
    {
        Writable("ups.id", 16),
        WritableNumber("ups.delay.shutdown", DelaySeconds),
        WritableNumber("ups.delay.start", DelaySeconds),
        WritableNumber("ups.delay.reboot", DelaySeconds),
        WritableNumber("ups.test.interval"),
        Writable("ups.start.auto", 3, YesNo),
        Writable("ups.start.battery", 3, YesNo),
        WritableNumber("battery.charge.low", Percent),
        WritableNumber("battery.charge.warning", Percent),
        WritableNumber("battery.charge.restart", Percent),
        WritableNumber("battery.runtime.low"),
        Writable("battery.date", 10),
        WritableNumber("input.transfer.low"),
        WritableNumber("input.transfer.high"),
        Writable("input.sensitivity", 6, ["low", "medium", "high"]),
        new UpsVariable("ups.beeper.status", "")
        {
            Flags = VariableFlags.String, MaxLength = 8, EnumValues = ["enabled", "disabled", "muted"],
        },
        ReadOnlyString("ups.status"),
        ReadOnlyString("ups.alarm"),
        ReadOnlyString("ups.mfr"),
        ReadOnlyString("ups.model"),
        ReadOnlyString("ups.serial"),
        ReadOnlyString("ups.firmware"),
        ReadOnlyString("ups.firmware.aux"),
        ReadOnlyString("ups.mfr.date"),
        ReadOnlyString("ups.vendorid"),
        ReadOnlyString("ups.productid"),
        ReadOnlyString("ups.type"),
        ReadOnlyString("ups.test.result"),
        ReadOnlyString("ups.test.date"),
        ReadOnlyString("ups.watchdog.status"),
        ReadOnlyString("ups.time"),
        ReadOnlyString("ups.date"),
        ReadOnlyString("device.mfr"),
        ReadOnlyString("device.model"),
        ReadOnlyString("device.serial"),
        ReadOnlyString("device.type"),
        ReadOnlyString("device.description"),
        ReadOnlyString("device.contact"),
        ReadOnlyString("device.location"),
        ReadOnlyString("device.part"),
        ReadOnlyString("device.macaddr"),
        ReadOnlyString("battery.type"),
        ReadOnlyString("battery.mfr.date"),
        ReadOnlyString("battery.charger.status"),
        ReadOnlyString("input.transfer.reason"),
        ReadOnlyString("driver.name"),
        ReadOnlyString("driver.version"),
        ReadOnlyString("driver.version.internal"),
        ReadOnlyString("driver.version.data"),
    }.ToFrozenDictionary(v => v.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>The full definition of a variable with this value: table flags, or inferred ones.</summary>
    public static UpsVariable Describe(string name, string value)
    {
        if (Table.TryGetValue(name, out UpsVariable? template))
        {
            return template.IsString && !template.IsWritable
                ? template with { Name = name, Value = value, MaxLength = Math.Max(template.MaxLength, value.Length) }
                : template with { Name = name, Value = value };
        }

        if (name.StartsWith("driver.parameter.", StringComparison.OrdinalIgnoreCase) || !IsNumber(value))
        {
            return new UpsVariable(name, value)
            {
                Flags = VariableFlags.String,
                MaxLength = Math.Max(DefaultStringLength, value.Length),
            };
        }

        return new UpsVariable(name, value) { Flags = VariableFlags.Number };
    }

    /// <summary>Checks a SET the way the device would: flags, length, ENUM and RANGE, and that numbers are numbers.</summary>
    public static SetValidation Validate(UpsVariable variable, string value)
    {
        SetValidation result = variable.Validate(value);
        if (result == SetValidation.Accepted && !variable.IsString && !IsNumber(value))
        {
            return SetValidation.InvalidValue;
        }

        return result;
    }

    // NUT numbers: decimal point, no exponent, no thousands separator (docs/nut-names.txt).
    internal static bool IsNumber(string value) =>
        value.Length > 0
        && decimal.TryParse(value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint,
            CultureInfo.InvariantCulture, out _);

    private static UpsVariable Writable(string name, int maxLength, ImmutableArray<string> enumValues = default) =>
        new(name, "")
        {
            Flags = VariableFlags.ReadWrite | VariableFlags.String,
            MaxLength = maxLength,
            EnumValues = enumValues.IsDefault ? [] : enumValues,
        };

    private static UpsVariable WritableNumber(string name, ImmutableArray<ValueRange> ranges = default) =>
        new(name, "")
        {
            Flags = VariableFlags.ReadWrite | VariableFlags.Number,
            Ranges = ranges.IsDefault ? [] : ranges,
        };

    private static UpsVariable ReadOnlyString(string name) =>
        new(name, "") { Flags = VariableFlags.String, MaxLength = DefaultStringLength };
}
