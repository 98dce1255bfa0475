using System.Globalization;
using UpsAgent.Core.Names;
using UpsAgent.Core.State;
using UpsAgent.Protocols.Snmp;

namespace UpsAgent.Servers.Snmp;

/// <summary>
/// The one table from NUT variable names to UPS-MIB (RFC 1628) objects: NUT's ietf mapping read in
/// reverse, with the MIB's units (runtime in minutes, battery volts in tenths, frequencies in tenths
/// of Hz, line volts whole). Scalars end in .0, the single input and output line is row 1.
/// </summary>
public static class UpsMibMap
{
    private static readonly ObjectIdentifier Ident = UpsMibOids.UpsIdent;
    private static readonly ObjectIdentifier Battery = UpsMibOids.UpsBattery;
    private static readonly ObjectIdentifier Input = UpsMibOids.UpsInput;
    private static readonly ObjectIdentifier Output = UpsMibOids.UpsOutput;
    private static readonly ObjectIdentifier Test = UpsMibOids.UpsTest;
    private static readonly ObjectIdentifier Control = UpsMibOids.UpsControl;
    private static readonly ObjectIdentifier Config = UpsMibOids.UpsConfig;

    private static string AgentVersion { get; } =
        "UpsAgent " + (typeof(UpsMibMap).Assembly.GetName().Version?.ToString(3) ?? "0");

    public static IReadOnlyList<UpsMibRow> Rows { get; } =
    [
        new("upsIdentManufacturer", Ident.Append(1), 0, "ups.mfr|device.mfr", c => Text(c, 31, NutNames.UpsMfr, NutNames.DeviceMfr)),
        new("upsIdentModel", Ident.Append(2), 0, "ups.model|device.model", c => Text(c, 63, NutNames.UpsModel, NutNames.DeviceModel)),
        new("upsIdentUPSSoftwareVersion", Ident.Append(3), 0, "ups.firmware", c => Text(c, 63, "ups.firmware")),
        new("upsIdentAgentSoftwareVersion", Ident.Append(4), 0, "(agent)", _ => SnmpValue.OctetString(AgentVersion)),
        new("upsIdentName", Ident.Append(5), 0, "ups.id", c => Text(c, 63, NutNames.UpsId)) { Write = v => Text(v, 63, NutNames.UpsId) },

        new("upsBatteryStatus", Battery.Append(1), 0, "ups.status", c => SnmpValue.Integer(BatteryStatus(c.State))),
        new("upsSecondsOnBattery", Battery.Append(2), 0, "ups.status (OB since)", c => SnmpValue.Integer(c.Alarms.SecondsOnBattery(c.Uptime())), Live: true),
        new("upsEstimatedMinutesRemaining", Battery.Append(3), 0, NutNames.BatteryRuntime, c => Minutes(c, NutNames.BatteryRuntime, minimum: 1)),
        new("upsEstimatedChargeRemaining", Battery.Append(4), 0, NutNames.BatteryCharge, c => Scaled(c, 1, 0, 100, NutNames.BatteryCharge)),
        new("upsBatteryVoltage", Battery.Append(5), 0, NutNames.BatteryVoltage, c => Scaled(c, 10, 0, int.MaxValue, NutNames.BatteryVoltage)),
        new("upsBatteryCurrent", Battery.Append(6), 0, "battery.current", c => Scaled(c, 10, int.MinValue, int.MaxValue, "battery.current")),
        new("upsBatteryTemperature", Battery.Append(7), 0, "battery.temperature|ups.temperature", c => Scaled(c, 1, int.MinValue, int.MaxValue, "battery.temperature", NutNames.UpsTemperature)),

        new("upsInputLineBads", Input.Append(1), 0, "ups.status (OB transitions)", c => SnmpValue.Counter32(c.Alarms.InputLineBads)),
        new("upsInputNumLines", Input.Append(2), 0, "input.phases", c => Lines(c, "input.phases", NutNames.InputVoltage)),
        new("upsInputFrequency", UpsMibOids.UpsInputEntry.Append(2), 1, NutNames.InputFrequency, c => Scaled(c, 10, 0, int.MaxValue, NutNames.InputFrequency)),
        new("upsInputVoltage", UpsMibOids.UpsInputEntry.Append(3), 1, NutNames.InputVoltage, c => Scaled(c, 1, 0, int.MaxValue, NutNames.InputVoltage)),
        new("upsInputCurrent", UpsMibOids.UpsInputEntry.Append(4), 1, "input.current", c => Scaled(c, 10, 0, int.MaxValue, "input.current")),
        new("upsInputTruePower", UpsMibOids.UpsInputEntry.Append(5), 1, "input.realpower", c => Scaled(c, 1, 0, int.MaxValue, "input.realpower")),

        new("upsOutputSource", Output.Append(1), 0, "ups.status", c => SnmpValue.Integer(OutputSource(c.State))),
        new("upsOutputFrequency", Output.Append(2), 0, "output.frequency", c => Scaled(c, 10, 0, int.MaxValue, "output.frequency")),
        new("upsOutputNumLines", Output.Append(3), 0, "output.phases", c => Lines(c, "output.phases", NutNames.OutputVoltage)),
        new("upsOutputVoltage", UpsMibOids.UpsOutputEntry.Append(2), 1, NutNames.OutputVoltage, c => Scaled(c, 1, 0, int.MaxValue, NutNames.OutputVoltage)),
        new("upsOutputCurrent", UpsMibOids.UpsOutputEntry.Append(3), 1, "output.current", c => Scaled(c, 10, 0, int.MaxValue, "output.current")),
        new("upsOutputPower", UpsMibOids.UpsOutputEntry.Append(4), 1, "output.realpower|ups.realpower", c => Scaled(c, 1, 0, int.MaxValue, "output.realpower", "ups.realpower")),
        new("upsOutputPercentLoad", UpsMibOids.UpsOutputEntry.Append(5), 1, NutNames.UpsLoad, c => Scaled(c, 1, 0, 200, NutNames.UpsLoad)),

        new("upsAlarmsPresent", UpsMibOids.UpsAlarm.Append(1), 0, "ups.status (alarms)", c => SnmpValue.Gauge32((uint)c.Alarms.Rows.Count)),

        // NUT turns upsTestId .3/.4 into TEST and .5 into CAL whatever the result (nut#2416), so a
        // finished test reads as noTestsInitiated and only a running calibration shows.
        new("upsTestId", Test.Append(1), 0, "ups.status (CAL)", c => SnmpValue.ObjectId(UpsMibOids.Test(c.State.Status.HasFlag(UpsStatus.Calibrating) ? 5u : 1u))),
        new("upsTestSpinLock", Test.Append(2), 0, "(agent)", _ => SnmpValue.Integer(1)),
        new("upsTestResultsSummary", Test.Append(3), 0, NutNames.UpsTestResult, c => SnmpValue.Integer(TestSummary(c.State))),
        new("upsTestResultsDetail", Test.Append(4), 0, NutNames.UpsTestResult, c => SnmpValue.OctetString(Truncate(c.State.GetValue(NutNames.UpsTestResult) ?? string.Empty, 255))),
        new("upsTestStartTime", Test.Append(5), 0, "(agent)", _ => SnmpValue.TimeTicks(0)),
        new("upsTestElapsedTime", Test.Append(6), 0, "(agent)", _ => SnmpValue.Integer(0)),

        new("upsShutdownAfterDelay", Control.Append(2), 0, NutNames.UpsTimerShutdown, c => Scaled(c, 1, -1, int.MaxValue, NutNames.UpsTimerShutdown) ?? SnmpValue.Integer(-1)) { Write = v => Delay(v, NutCommandNames.LoadOff, NutCommandNames.LoadOffDelay, NutCommandNames.ShutdownStop) },
        new("upsStartupAfterDelay", Control.Append(3), 0, NutNames.UpsTimerStart, c => Scaled(c, 1, -1, int.MaxValue, NutNames.UpsTimerStart) ?? SnmpValue.Integer(-1)) { Write = v => Delay(v, NutCommandNames.LoadOn, NutCommandNames.LoadOnDelay, null) },
        new("upsRebootWithDuration", Control.Append(4), 0, "ups.timer.reboot", c => Scaled(c, 1, -1, 300, "ups.timer.reboot")),
        new("upsAutoRestart", Control.Append(5), 0, "ups.start.auto", c => Enumerated(c, "ups.start.auto", ("yes", 1), ("no", 2))) { Write = v => Choice(v, ("ups.start.auto", null, 1, "yes"), ("ups.start.auto", null, 2, "no")) },

        new("upsConfigInputVoltage", Config.Append(1), 0, "input.voltage.nominal", c => Scaled(c, 1, 0, int.MaxValue, "input.voltage.nominal")) { Write = v => Number(v, "input.voltage.nominal", 1) },
        new("upsConfigInputFreq", Config.Append(2), 0, "input.frequency.nominal", c => Scaled(c, 10, 0, int.MaxValue, "input.frequency.nominal")) { Write = v => Number(v, "input.frequency.nominal", 10) },
        new("upsConfigOutputVoltage", Config.Append(3), 0, "output.voltage.nominal", c => Scaled(c, 1, 0, int.MaxValue, "output.voltage.nominal")) { Write = v => Number(v, "output.voltage.nominal", 1) },
        new("upsConfigOutputFreq", Config.Append(4), 0, "output.frequency.nominal", c => Scaled(c, 10, 0, int.MaxValue, "output.frequency.nominal")) { Write = v => Number(v, "output.frequency.nominal", 10) },
        new("upsConfigOutputVA", Config.Append(5), 0, "ups.power.nominal", c => Scaled(c, 1, 0, int.MaxValue, "ups.power.nominal")),
        new("upsConfigOutputPower", Config.Append(6), 0, "ups.realpower.nominal", c => Scaled(c, 1, 0, int.MaxValue, "ups.realpower.nominal")),
        new("upsConfigLowBattTime", Config.Append(7), 0, NutNames.BatteryRuntimeLow, c => Minutes(c, NutNames.BatteryRuntimeLow, minimum: 0)) { Write = v => Number(v, NutNames.BatteryRuntimeLow, 1.0 / 60) },
        new("upsConfigAudibleStatus", Config.Append(8), 0, NutNames.UpsBeeperStatus, c => Enumerated(c, NutNames.UpsBeeperStatus, ("disabled", 1), ("enabled", 2), ("muted", 3))) { Write = v => Choice(v, (null, NutCommandNames.BeeperDisable, 1, null), (null, NutCommandNames.BeeperEnable, 2, null), (null, NutCommandNames.BeeperMute, 3, null)) },
        new("upsConfigLowVoltageTransferPoint", Config.Append(9), 0, "input.transfer.low", c => Scaled(c, 1, 0, int.MaxValue, "input.transfer.low")) { Write = v => Number(v, "input.transfer.low", 1) },
        new("upsConfigHighVoltageTransferPoint", Config.Append(10), 0, "input.transfer.high", c => Scaled(c, 1, 0, int.MaxValue, "input.transfer.high")) { Write = v => Number(v, "input.transfer.high", 1) },
    ];

    /// <summary>The row for an instance OID, or null; SETs find their conversion here even when the state has no value to read.</summary>
    public static UpsMibRow? Find(ObjectIdentifier instance)
    {
        foreach (UpsMibRow row in Rows)
        {
            if (row.Instance.Equals(instance))
            {
                return row;
            }
        }

        return null;
    }

    /// <summary>The well-known alarms the state model can raise, from ups.status tokens and stale data.</summary>
    public static HashSet<UpsWellKnownAlarm> PresentAlarms(UpsState state)
    {
        var present = new HashSet<UpsWellKnownAlarm>();
        if (state.DataState == UpsDataState.Waiting)
        {
            return present;
        }

        if (state.DataState != UpsDataState.Fresh)
        {
            present.Add(UpsWellKnownAlarm.CommunicationsLost);
        }

        UpsStatus status = state.Status;
        Add(UpsStatus.OnBattery, UpsWellKnownAlarm.OnBattery);
        Add(UpsStatus.LowBattery, UpsWellKnownAlarm.LowBattery);
        Add(UpsStatus.ReplaceBattery, UpsWellKnownAlarm.BatteryBad);
        Add(UpsStatus.Overload, UpsWellKnownAlarm.OutputOverload);
        Add(UpsStatus.Bypass, UpsWellKnownAlarm.OnBypass);
        Add(UpsStatus.Off, UpsWellKnownAlarm.UpsOutputOff);
        Add(UpsStatus.Calibrating, UpsWellKnownAlarm.TestInProgress);
        return present;

        void Add(UpsStatus token, UpsWellKnownAlarm alarm)
        {
            if (status.HasFlag(token))
            {
                present.Add(alarm);
            }
        }
    }

    /// <summary>upsBatteryStatus: unknown(1) without fresh data, batteryLow(3) with LB, else batteryNormal(2).</summary>
    public static int BatteryStatus(UpsState state) =>
        state.DataState != UpsDataState.Fresh ? 1 : state.Status.HasFlag(UpsStatus.LowBattery) ? 3 : 2;

    /// <summary>upsOutputSource, the inverse of NUT's ietf mapping: none(2) OFF, battery(5) OB, bypass(4), booster(6) BOOST, reducer(7) TRIM, normal(3) OL.</summary>
    public static int OutputSource(UpsState state)
    {
        UpsStatus status = state.Status;
        return status.HasFlag(UpsStatus.Off) ? 2
            : status.HasFlag(UpsStatus.OnBattery) ? 5
            : status.HasFlag(UpsStatus.Bypass) ? 4
            : status.HasFlag(UpsStatus.Boost) ? 6
            : status.HasFlag(UpsStatus.Trim) ? 7
            : status.HasFlag(UpsStatus.OnLine) ? 3
            : 1;
    }

    /// <summary>upsTestResultsSummary from NUT's ups.test.result wording (NUT's ietf texts read backwards).</summary>
    public static int TestSummary(UpsState state)
    {
        if (state.Status.HasFlag(UpsStatus.Calibrating))
        {
            return 5;
        }

        string text = (state.GetValue(NutNames.UpsTestResult) ?? string.Empty).ToLowerInvariant();
        return text switch
        {
            _ when text.Contains("progress", StringComparison.Ordinal) => 5,
            _ when text.Contains("abort", StringComparison.Ordinal) => 4,
            _ when text.Contains("error", StringComparison.Ordinal) || text.Contains("fail", StringComparison.Ordinal) => 3,
            _ when text.Contains("warning", StringComparison.Ordinal) => 2,
            _ when text.Contains("pass", StringComparison.Ordinal) => 1,
            _ => 6,
        };
    }

    /// <summary>A DisplayString object written to a NUT string variable.</summary>
    private static UpsMibWrite Text(SnmpValue value, int maxLength, string variable) =>
        value.Type != SnmpType.OctetString ? UpsMibWrite.Refuse(SnmpErrorStatus.WrongType)
        : value.Octets!.Length > maxLength ? UpsMibWrite.Refuse(SnmpErrorStatus.WrongLength)
        : value.Octets.Any(b => b is < 0x20 or > 0x7E) ? UpsMibWrite.Refuse(SnmpErrorStatus.WrongValue)
        : UpsMibWrite.SetVariable(variable, System.Text.Encoding.ASCII.GetString(value.Octets));

    /// <summary>
    /// A NonNegativeInteger in MIB units written to a NUT number: <paramref name="toNut"/> turns the
    /// MIB value back into NUT's unit (tenths of Hz to Hz, minutes to seconds).
    /// </summary>
    private static UpsMibWrite Number(SnmpValue value, string variable, double toNut)
    {
        if (value.Type != SnmpType.Integer)
        {
            return UpsMibWrite.Refuse(SnmpErrorStatus.WrongType);
        }

        if (value.Number < 0)
        {
            return UpsMibWrite.Refuse(SnmpErrorStatus.WrongValue);
        }

        double nut = value.Number / toNut;
        return UpsMibWrite.SetVariable(variable, nut.ToString(nut == Math.Floor(nut) ? "0" : "0.0##", CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// upsShutdownAfterDelay / upsStartupAfterDelay (RFC 1628 upsControl): 0 acts now, N seconds
    /// acts after N, -1 cancels, the way NUT's ietf mapping sends load.off / load.on.
    /// </summary>
    private static UpsMibWrite Delay(SnmpValue value, string now, string delayed, string? cancel) =>
        value.Type != SnmpType.Integer ? UpsMibWrite.Refuse(SnmpErrorStatus.WrongType)
        : value.Number == 0 ? UpsMibWrite.RunCommand(now)
        : value.Number > 0 ? UpsMibWrite.RunCommand(delayed, value.Number.ToString(CultureInfo.InvariantCulture))
        : value.Number == -1 && cancel is not null ? UpsMibWrite.RunCommand(cancel)
        : UpsMibWrite.Refuse(value.Number == -1 ? SnmpErrorStatus.InconsistentValue : SnmpErrorStatus.WrongValue);

    /// <summary>An enumerated INTEGER whose values each set a variable or run a command.</summary>
    private static UpsMibWrite Choice(SnmpValue value, params (string? Variable, string? Command, int Value, string? Text)[] choices)
    {
        if (value.Type != SnmpType.Integer)
        {
            return UpsMibWrite.Refuse(SnmpErrorStatus.WrongType);
        }

        foreach ((string? variable, string? command, int number, string? text) in choices)
        {
            if (value.Number == number)
            {
                return variable is not null ? UpsMibWrite.SetVariable(variable, text!) : UpsMibWrite.RunCommand(command!);
            }
        }

        return UpsMibWrite.Refuse(SnmpErrorStatus.WrongValue);
    }

    private static string? First(UpsMibContext c, string[] names)
    {
        foreach (string name in names)
        {
            if (c.State.GetValue(name) is { } value)
            {
                return value;
            }
        }

        return null;
    }

    private static SnmpValue? Text(UpsMibContext c, int maxLength, params string[] names) =>
        First(c, names) is { } value ? SnmpValue.OctetString(Truncate(value, maxLength)) : null;

    private static string Truncate(string value, int maxLength) => value.Length <= maxLength ? value : value[..maxLength];

    private static SnmpValue? Scaled(UpsMibContext c, double factor, int minimum, int maximum, params string[] names)
    {
        if (First(c, names) is not { } text
            || !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
            || double.IsNaN(value))
        {
            return null;
        }

        return SnmpValue.Integer((int)Math.Clamp(Math.Round(value * factor, MidpointRounding.AwayFromZero), minimum, maximum));
    }

    /// <summary>Seconds in the state, minutes in the MIB (upsEstimatedMinutesRemaining is a PositiveInteger: at least 1).</summary>
    private static SnmpValue? Minutes(UpsMibContext c, string name, int minimum) =>
        c.State.GetNumber(name) is { } seconds && !double.IsNaN(seconds)
            ? SnmpValue.Integer((int)Math.Clamp(Math.Round(seconds / 60, MidpointRounding.AwayFromZero), minimum, int.MaxValue))
            : null;

    private static SnmpValue? Lines(UpsMibContext c, string phases, string voltage) =>
        c.State.GetNumber(phases) is { } count ? SnmpValue.Integer((int)Math.Clamp(count, 0, 3))
        : c.State.GetValue(voltage) is not null ? SnmpValue.Integer(1)
        : null;

    private static SnmpValue? Enumerated(UpsMibContext c, string name, params (string Text, int Value)[] values)
    {
        string? text = c.State.GetValue(name);
        foreach ((string candidate, int value) in values)
        {
            if (string.Equals(candidate, text, StringComparison.OrdinalIgnoreCase))
            {
                return SnmpValue.Integer(value);
            }
        }

        return null;
    }
}
