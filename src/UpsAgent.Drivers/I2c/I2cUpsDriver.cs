using System.Device.Gpio;
using System.Device.I2c;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Logging;
using UpsAgent.Core.Commands;
using UpsAgent.Core.Names;
using UpsAgent.Core.State;
using UpsAgent.Core.Timing;
using UpsAgent.Drivers.Gpio;

namespace UpsAgent.Drivers.I2c;

/// <summary>
/// A UPS HAT or battery pack read through its I2C gauge chip: battery voltage, current (INA219) and
/// charge (MAX1704x's own estimate, else the voltage between empty and full), and the power state from
/// a power-loss GPIO line where the HAT has one, else from the sign of the battery current. On battery
/// at or below battery.charge.low the status gains LB, so upsmon's rules and the agent's shutdown
/// policy work unchanged. A bus that fails is retried every poll interval with the data stale.
/// </summary>
public sealed class I2cUpsDriver : IUpsDriver
{
    public const string DriverName = "i2c";

    private readonly UpsStateWriter _writer;
    private readonly PublishedValues _values;
    private readonly I2cDriverOptions _options;
    private readonly IClock _clock;
    private readonly ILogger _logger;
    private readonly Func<IBatteryGauge> _openGauge;
    private readonly Func<GpioController>? _openGpio;
    private IBatteryGauge? _gauge;
    private GpioController? _gpio;
    private string? _lastProblem;
    private int _started;

    public I2cUpsDriver(UpsStateWriter writer, I2cDriverOptions options, IClock clock, ILogger logger)
        : this(writer, options, clock, logger, () => OpenGauge(options),
            options.PowerLine is null ? null : () => GpioChips.Open(GpioDriverOptions.ParseChip(options.GpioChip) ?? 0))
    {
    }

    /// <summary>With other ways to reach the chips (tests pass fakes).</summary>
    public I2cUpsDriver(UpsStateWriter writer, I2cDriverOptions options, IClock clock, ILogger logger, Func<IBatteryGauge> openGauge, Func<GpioController>? openGpio)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(openGauge);
        if (options.PowerLine is not null && openGpio is null)
        {
            throw new ArgumentException("A power line needs a way to open the GPIO chip.", nameof(openGpio));
        }

        _writer = writer;
        _values = new PublishedValues(writer);
        _options = options;
        _clock = clock;
        _logger = logger;
        _openGauge = openGauge;
        _openGpio = openGpio;
    }

    /// <summary>Opens /dev/i2c-BUS at the address with the chip's reader.</summary>
    public static IBatteryGauge OpenGauge(I2cDriverOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        I2cDevice device = I2cDevice.Create(new I2cConnectionSettings(options.Bus, options.Address));
        try
        {
            return options.Chip switch
            {
                "ina219" => new Ina219Gauge(device),
                "max17040" => new Max1704xGauge(device),
                _ => throw new ArgumentException($"no reader for chip '{options.Chip}'", nameof(options)),
            };
        }
        catch
        {
            device.Dispose();
            throw;
        }
    }

    private string Where => FormattableString.Invariant($"{_options.Chip} on i2c-{_options.Bus} at 0x{_options.Address:x2}");

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("An I2cUpsDriver runs once; create a new one to run again.");
        }

        _logger.LogInformation("I2C UPS {Where}: polling every {Interval} s", Where, _options.PollInterval.TotalSeconds);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    Poll();
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    Lost(e);
                }

                await _clock.DelayAsync(_options.PollInterval, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping is the normal way out.
        }
        finally
        {
            Close();
            _writer.MarkDisconnected();
            _logger.LogInformation("I2C UPS {Where}: stopped", Where);
        }
    }

    private void Poll()
    {
        _gauge ??= _openGauge();
        if (_options.PowerLine is { } line && _gpio is null)
        {
            GpioController gpio = _openGpio!();
            try
            {
                gpio.OpenPin(line, PinMode.Input);
            }
            catch
            {
                gpio.Dispose();
                throw;
            }

            _gpio = gpio;
        }

        GaugeReading reading = _gauge.Read();
        bool? mainsLost = _options.PowerLine is { } powerLine ? (_gpio!.Read(powerLine) == PinValue.High) == _options.PowerLostWhenHigh : null;
        Publish(Values(reading, mainsLost));
    }

    /// <summary>The NUT variables for one reading (pure; public for tests of the status rules).</summary>
    public Dictionary<string, string> Values(GaugeReading reading, bool? mainsLost)
    {
        double charge = reading.ChargePercent
            ?? Math.Clamp((reading.Volts - _options.EmptyVolts) / (_options.FullVolts - _options.EmptyVolts) * 100, 0, 100);
        bool discharging = reading.Amps is { } amps && amps < -_options.CurrentThresholdAmps;
        bool charging = reading.Amps is { } a && a > _options.CurrentThresholdAmps;
        bool onBattery = mainsLost ?? discharging;
        int shownCharge = (int)Math.Round(charge, MidpointRounding.AwayFromZero);

        UpsStatus status = onBattery ? UpsStatus.OnBattery | UpsStatus.Discharging : UpsStatus.OnLine;
        if (!onBattery && charging)
        {
            status |= UpsStatus.Charging;
        }

        if (onBattery && shownCharge <= _options.LowBatteryPercent)
        {
            status |= UpsStatus.LowBattery;
        }

        var values = new Dictionary<string, string>
        {
            [NutNames.UpsStatus] = UpsStatusTokens.Format(status),
            [NutNames.BatteryCharge] = shownCharge.ToString(CultureInfo.InvariantCulture),
            [NutNames.BatteryChargeLow] = _options.LowBatteryPercent.ToString(CultureInfo.InvariantCulture),
            [NutNames.BatteryVoltage] = reading.Volts.ToString("0.00", CultureInfo.InvariantCulture),
            [NutNames.DeviceType] = "ups",
            [NutNames.DriverName] = DriverName,
            [NutNames.DriverVersion] = DriverVersion,
            ["driver.parameter.bus"] = _options.Bus.ToString(CultureInfo.InvariantCulture),
            ["driver.parameter.address"] = FormattableString.Invariant($"0x{_options.Address:x2}"),
            ["driver.parameter.chip"] = _options.Chip,
        };
        if (reading.Amps is { } current)
        {
            values["battery.current"] = current.ToString("0.000", CultureInfo.InvariantCulture);
        }

        if (_options.Manufacturer is { } mfr)
        {
            values[NutNames.UpsMfr] = mfr;
            values[NutNames.DeviceMfr] = mfr;
        }

        if (_options.Model is { } model)
        {
            values[NutNames.UpsModel] = model;
            values[NutNames.DeviceModel] = model;
        }

        return values;
    }

    private void Publish(Dictionary<string, string> values)
    {
        string? before = _values[NutNames.UpsStatus];
        bool first = !_values.EverPublished;
        _values.Publish(values, []);
        if (first)
        {
            _logger.LogInformation("I2C UPS {Where}: {Status}, {Charge} %, {Volts} V", Where, values[NutNames.UpsStatus], values[NutNames.BatteryCharge], values[NutNames.BatteryVoltage]);
        }
        else if (before != values[NutNames.UpsStatus])
        {
            _logger.LogInformation("I2C UPS {Where}: status {Status} ({Charge} %)", Where, values[NutNames.UpsStatus], values[NutNames.BatteryCharge]);
        }

        if (_lastProblem is not null)
        {
            _lastProblem = null;
            _logger.LogInformation("I2C UPS {Where}: answers again", Where);
        }
    }

    private void Lost(Exception e)
    {
        Close();
        if (_values.EverPublished)
        {
            _writer.MarkStale();
        }

        string problem = $"{e.GetType().Name}: {e.Message}";
        if (problem != _lastProblem)
        {
            _lastProblem = problem;
            _logger.LogError("I2C UPS {Where}: cannot read it: {Problem} (is I2C enabled, does /dev/i2c-{Bus} exist, may this user open it?); retrying every {Interval} s",
                Where, e.Message, _options.Bus, _options.PollInterval.TotalSeconds);
        }
    }

    private void Close()
    {
        try
        {
            _gauge?.Dispose();
            _gpio?.Dispose();
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            _logger.LogDebug("I2C UPS {Where}: closing: {Problem}", Where, e.Message);
        }

        _gauge = null;
        _gpio = null;
    }

    /// <summary>A battery gauge offers no writable variables.</summary>
    public ValueTask<CommandOutcome> SetVariableAsync(string name, string value, CancellationToken cancellationToken) =>
        ValueTask.FromResult(CommandOutcome.Unknown);

    /// <summary>A battery gauge offers no instant commands.</summary>
    public ValueTask<CommandOutcome> RunInstantCommandAsync(string name, string? parameter, CancellationToken cancellationToken) =>
        ValueTask.FromResult(CommandOutcome.Unknown);

    private static string DriverVersion { get; } =
        typeof(I2cUpsDriver).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0";
}
