using System.Globalization;
using UpsAgent.Core.Commands;
using UpsAgent.Core.Names;
using UpsAgent.Core.State;

namespace UpsAgent.Drivers.Simulated;

/// <summary>
/// The simulated device: the values a definition file and SET VAR give it (the "device layer"),
/// plus the state instant commands put it in (output off, beeper, tests, calibration, shutdown
/// timers). Not thread-safe: <see cref="SimulatedDriver"/> calls it under its gate.
///
/// Rule for commands versus the sequence: a sequence line or a SET writes the device layer, and the
/// latest write wins. While a command state lasts it owns the variables it describes and masks the
/// device layer: output off (OFF token; output.voltage, output.current, ups.load, ups.power,
/// ups.realpower read 0), a running test (ups.test.result "In progress"), calibration (CAL token),
/// an ALARM instruction (ups.alarm, ALARM token); ups.timer.shutdown / ups.timer.start always
/// belong to the simulation (-1 when idle); once a beeper command has run, ups.beeper.status is the
/// device's setting and sequence lines no longer change it. When a state ends, the device layer
/// shows again. Losing mains (OL leaves ups.status) aborts a running test or calibration and
/// un-mutes the beeper; mains coming back (OL returns) starts the restart countdown of a
/// shutdown.return whose output is off.
///
/// Time is the clock's monotonic time; every event is scheduled from the due time of the event
/// that caused it, so the timeline does not drift however late the loop wakes.
/// </summary>
internal sealed class SimulatedUps
{
    public const string TestInProgress = "In progress";
    public const string TestPassed = "Done and passed";
    public const string TestAborted = "Aborted";

    private static readonly string[] OutputVariables =
        ["output.voltage", "output.current", NutNames.UpsLoad, "ups.power", "ups.realpower"];

    private readonly Dictionary<string, string> _device = new(StringComparer.OrdinalIgnoreCase);
    private readonly DeviceScript _script;
    private readonly SequenceMode _mode;
    private readonly double _speed;
    private readonly Func<DateTimeOffset> _wallClock;
    private readonly IReadOnlyDictionary<string, string> _driverValues;

    private int _cursor;
    private TimeSpan? _sequenceDue;
    private bool _mainsPresent;
    private string? _alarm;
    private string? _beeper;
    private bool _outputOff;
    private bool _returnWhenPowered;
    private bool _calibrating;
    private string? _test;
    private TimeSpan _testDue;
    private Countdown? _shutdown;
    private Countdown? _start;

    public SimulatedUps(
        DeviceScript script,
        SequenceMode mode,
        double speed,
        Func<DateTimeOffset> wallClock,
        IReadOnlyDictionary<string, string> driverValues)
    {
        _script = script;
        _driverValues = driverValues;
        _mode = mode;
        _speed = speed;
        _wallClock = wallClock;
    }

    public event Action<string>? SequenceRestarted;

    /// <summary>Plays the file up to its first TIMER (the initial dump) and schedules the rest.</summary>
    public void Start(TimeSpan now)
    {
        _cursor = 0;
        _mainsPresent = true;
        PlaySequence(now);
    }

    public TimeSpan? NextDue
    {
        get
        {
            TimeSpan? due = _sequenceDue;
            due = Earliest(due, _shutdown?.NextTick);
            due = Earliest(due, _start?.NextTick);
            due = Earliest(due, _test is null ? null : _testDue);
            return due;
        }
    }

    /// <summary>Runs every event due at or before <paramref name="now"/>, earliest first.</summary>
    public void Advance(TimeSpan now)
    {
        while (NextDue is { } due && due <= now)
        {
            // Ties: the sequence first, so a power change at the same instant is seen by the timers.
            if (_sequenceDue == due)
            {
                PlaySequence(due);
            }
            else if (_shutdown?.NextTick == due)
            {
                TickShutdown(due);
            }
            else if (_start?.NextTick == due)
            {
                TickStart(due);
            }
            else
            {
                FinishTest(TestPassed);
            }
        }
    }

    public CommandOutcome SetVariable(string name, string value)
    {
        UpsVariable? current = Render().FirstOrDefault(v => string.Equals(v.Name, name, StringComparison.OrdinalIgnoreCase));
        if (current is null)
        {
            return CommandOutcome.Unknown;
        }

        return SimulatedVariableTypes.Validate(current, value) switch
        {
            SetValidation.Accepted => Accept(current.Name, value),
            SetValidation.ReadOnly => CommandOutcome.Failed,
            _ => CommandOutcome.InvalidArgument,
        };

        CommandOutcome Accept(string canonicalName, string newValue)
        {
            _device[canonicalName] = newValue;
            return CommandOutcome.Success;
        }
    }

    public CommandOutcome RunCommand(string name, string? parameter, TimeSpan now)
    {
        switch (name.ToLowerInvariant())
        {
            case NutCommandNames.LoadOff:
                CancelCountdowns();
                _returnWhenPowered = false;
                _outputOff = true;
                return CommandOutcome.Success;

            case NutCommandNames.LoadOn:
                CancelCountdowns();
                _returnWhenPowered = false;
                _outputOff = false;
                return CommandOutcome.Success;

            case NutCommandNames.LoadOffDelay:
                return WithDelay(parameter, NutNames.UpsDelayShutdown, seconds =>
                    BeginShutdown(seconds, returnWhenPowered: false, now));

            case NutCommandNames.LoadOnDelay:
                return WithDelay(parameter, NutNames.UpsDelayStart, seconds =>
                {
                    if (_outputOff)
                    {
                        _shutdown = null;
                        BeginStart(seconds, now);
                    }
                });

            case NutCommandNames.ShutdownReturn:
                return WithDelay(null, NutNames.UpsDelayShutdown, seconds =>
                    BeginShutdown(seconds, returnWhenPowered: true, now));

            case NutCommandNames.ShutdownStayOff:
                return WithDelay(null, NutNames.UpsDelayShutdown, seconds =>
                    BeginShutdown(seconds, returnWhenPowered: false, now));

            case NutCommandNames.ShutdownStop:
                // Cancels a countdown to output off; an output that is already off stays as it is.
                _shutdown = null;
                return CommandOutcome.Success;

            case NutCommandNames.TestBatteryStartQuick:
                return StartTest(10, now);
            case NutCommandNames.TestBatteryStart:
                return StartTest(30, now);
            case NutCommandNames.TestBatteryStartDeep:
                return StartTest(180, now);
            case NutCommandNames.TestPanelStart:
                return StartTest(5, now);

            case NutCommandNames.TestBatteryStop:
            case NutCommandNames.TestPanelStop:
                if (_test is not null)
                {
                    FinishTest(TestAborted);
                }

                return CommandOutcome.Success;

            case NutCommandNames.CalibrateStart:
                if (!_mainsPresent || _outputOff || _test is not null)
                {
                    return CommandOutcome.Failed;
                }

                _calibrating = true;
                return CommandOutcome.Success;

            case NutCommandNames.CalibrateStop:
                _calibrating = false;
                return CommandOutcome.Success;

            case NutCommandNames.BeeperEnable:
                _beeper = "enabled";
                return CommandOutcome.Success;

            case NutCommandNames.BeeperDisable:
                _beeper = "disabled";
                return CommandOutcome.Success;

            case NutCommandNames.BeeperMute:
                // Muting silences an enabled beeper until the next power event; a disabled one stays disabled.
                _beeper = BeeperStatus == "disabled" ? "disabled" : "muted";
                return CommandOutcome.Success;

            case NutCommandNames.BeeperToggle:
                _beeper = BeeperStatus == "disabled" ? "enabled" : "disabled";
                return CommandOutcome.Success;

            default:
                return CommandOutcome.Unknown;
        }
    }

    /// <summary>Everything the UPS shows now, with flags: the device layer masked by command state.</summary>
    public List<UpsVariable> Render()
    {
        var values = new Dictionary<string, string>(_device, StringComparer.OrdinalIgnoreCase);
        string status = values.GetValueOrDefault(NutNames.UpsStatus) ?? "OL";

        if (_outputOff)
        {
            status = UpsStatusTokens.With(status, UpsStatus.Off, UpsStatus.None);
            foreach (string name in OutputVariables)
            {
                if (values.ContainsKey(name))
                {
                    values[name] = "0";
                }
            }
        }

        if (_calibrating)
        {
            status = UpsStatusTokens.With(status, UpsStatus.Calibrating, UpsStatus.None);
        }

        if (!string.IsNullOrEmpty(_alarm))
        {
            values[NutNames.UpsAlarm] = _alarm;
            status = UpsStatusTokens.With(status, UpsStatus.Alarm, UpsStatus.None);
        }

        values[NutNames.UpsStatus] = status;
        if (_beeper is not null)
        {
            values[NutNames.UpsBeeperStatus] = _beeper;
        }

        if (_test is not null)
        {
            values[NutNames.UpsTestResult] = TestInProgress;
        }

        values[NutNames.UpsTimerShutdown] = (_shutdown?.Remaining ?? -1).ToString(CultureInfo.InvariantCulture);
        values[NutNames.UpsTimerStart] = (_start?.Remaining ?? -1).ToString(CultureInfo.InvariantCulture);
        // NUT's driver core mirrors ups.mfr/model/serial into device.* and says device.type "ups"
        // (drivers/dstate.c), so clients that read device.* (Home Assistant) find them either way.
        foreach ((string from, string to) in DeviceAliases)
        {
            if (values.TryGetValue(from, out string? value) && !values.ContainsKey(to))
            {
                values[to] = value;
            }
        }

        values.TryAdd(NutNames.DeviceType, "ups");
        foreach ((string name, string value) in _driverValues)
        {
            values[name] = value;
        }

        return values.Select(kv => SimulatedVariableTypes.Describe(kv.Key, kv.Value)).ToList();
    }

    private static readonly (string From, string To)[] DeviceAliases =
    [
        (NutNames.UpsMfr, NutNames.DeviceMfr),
        (NutNames.UpsModel, NutNames.DeviceModel),
        (NutNames.UpsSerial, "device.serial"),
    ];

    private string? BeeperStatus => _beeper ?? _device.GetValueOrDefault(NutNames.UpsBeeperStatus);

    private bool HasMains() =>
        (UpsStatusTokens.Parse(_device.GetValueOrDefault(NutNames.UpsStatus) ?? "OL") & UpsStatus.OnLine) != 0;

    private TimeSpan DeviceSeconds(int seconds) => TimeSpan.FromSeconds(seconds / _speed);

    private void PlaySequence(TimeSpan at)
    {
        _sequenceDue = null;
        while (true)
        {
            if (_cursor >= _script.Steps.Length)
            {
                // A file without waiting would spin if looped; it plays once like a .dev (dummy-ups would re-read it every second).
                if (_mode == SequenceMode.Once || _script.TotalTimerSeconds == 0)
                {
                    break;
                }

                _cursor = 0;
                SequenceRestarted?.Invoke(_script.SourceName);
            }

            DeviceStep step = _script.Steps[_cursor++];
            if (step is SetVariableStep set)
            {
                ApplyDeviceValue(set.Name, set.Value);
            }
            else if (step is AlarmStep alarm)
            {
                _alarm = alarm.Text.Length == 0 ? null : alarm.Text;
            }
            else if (step is TimerStep { Seconds: > 0 } timer)
            {
                _sequenceDue = at + DeviceSeconds(timer.Seconds);
                break;
            }
        }

        OnDeviceChanged(at);
    }

    private void ApplyDeviceValue(string name, string value)
    {
        // The driver reports its own driver.* variables, as dummy-ups skips them in files.
        if (name.StartsWith("driver.", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        if (value.Length == 0)
        {
            _device.Remove(name);
        }
        else
        {
            _device[name] = value;
        }
    }

    private void OnDeviceChanged(TimeSpan at)
    {
        bool mains = HasMains();
        if (mains == _mainsPresent)
        {
            return;
        }

        _mainsPresent = mains;
        if (_beeper == "muted")
        {
            _beeper = "enabled";
        }

        if (!mains)
        {
            if (_test is not null)
            {
                FinishTest(TestAborted);
            }

            _calibrating = false;
            if (_start is not null)
            {
                // The restart countdown waits for mains again.
                _start = null;
                _returnWhenPowered = true;
            }
        }
        else if (_outputOff && _returnWhenPowered && _start is null)
        {
            BeginStart(ParseDelay(NutNames.UpsDelayStart), at);
        }
    }

    private CommandOutcome WithDelay(string? parameter, string defaultVariable, Action<int> begin)
    {
        int seconds;
        if (parameter is null)
        {
            seconds = ParseDelay(defaultVariable);
        }
        else if (!int.TryParse(parameter, NumberStyles.None, CultureInfo.InvariantCulture, out seconds))
        {
            return CommandOutcome.InvalidArgument;
        }

        begin(seconds);
        return CommandOutcome.Success;
    }

    // Dumps use -1 for "no delay configured"; the UPS then acts at once.
    private int ParseDelay(string variable) =>
        int.TryParse(_device.GetValueOrDefault(variable), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int seconds)
            ? Math.Max(0, seconds)
            : 0;

    private void BeginShutdown(int seconds, bool returnWhenPowered, TimeSpan now)
    {
        _start = null;
        if (_outputOff)
        {
            // Already off: only the plan for coming back changes.
            _shutdown = null;
            _returnWhenPowered = returnWhenPowered;
            if (returnWhenPowered && _mainsPresent)
            {
                BeginStart(ParseDelay(NutNames.UpsDelayStart), now);
            }

            return;
        }

        _shutdown = new Countdown(seconds, now + DeviceSeconds(1), returnWhenPowered);
        if (seconds == 0)
        {
            OutputOffByTimer(now, returnWhenPowered);
        }
    }

    private void TickShutdown(TimeSpan due)
    {
        Countdown countdown = _shutdown!;
        int remaining = countdown.Remaining - 1;
        if (remaining <= 0)
        {
            OutputOffByTimer(due, countdown.ReturnWhenPowered);
        }
        else
        {
            _shutdown = countdown with { Remaining = remaining, NextTick = due + DeviceSeconds(1) };
        }
    }

    private void OutputOffByTimer(TimeSpan at, bool returnWhenPowered)
    {
        _shutdown = null;
        _outputOff = true;
        _calibrating = false;
        _returnWhenPowered = returnWhenPowered;
        if (returnWhenPowered && _mainsPresent)
        {
            BeginStart(ParseDelay(NutNames.UpsDelayStart), at);
        }
    }

    private void BeginStart(int seconds, TimeSpan now)
    {
        _start = new Countdown(seconds, now + DeviceSeconds(1), ReturnWhenPowered: false);
        if (seconds == 0)
        {
            OutputOnByTimer();
        }
    }

    private void TickStart(TimeSpan due)
    {
        Countdown countdown = _start!;
        int remaining = countdown.Remaining - 1;
        if (remaining <= 0)
        {
            OutputOnByTimer();
        }
        else
        {
            _start = countdown with { Remaining = remaining, NextTick = due + DeviceSeconds(1) };
        }
    }

    private void OutputOnByTimer()
    {
        _start = null;
        _outputOff = false;
        _returnWhenPowered = false;
    }

    private void CancelCountdowns()
    {
        _shutdown = null;
        _start = null;
    }

    private CommandOutcome StartTest(int seconds, TimeSpan now)
    {
        // A UPS tests its battery only with mains present and the load on; one test at a time.
        if (!_mainsPresent || _outputOff || _test is not null || _calibrating)
        {
            return CommandOutcome.Failed;
        }

        _test = TestInProgress;
        _testDue = now + DeviceSeconds(seconds);
        return CommandOutcome.Success;
    }

    private void FinishTest(string result)
    {
        _test = null;
        _device[NutNames.UpsTestResult] = result;
        _device[NutNames.UpsTestDate] = _wallClock().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    private static TimeSpan? Earliest(TimeSpan? a, TimeSpan? b) =>
        a is null ? b : b is null ? a : (a < b ? a : b);

    private sealed record Countdown(int Remaining, TimeSpan NextTick, bool ReturnWhenPowered);
}
