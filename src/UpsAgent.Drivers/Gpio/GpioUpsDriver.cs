using System.Device.Gpio;
using System.Reflection;
using Microsoft.Extensions.Logging;
using UpsAgent.Core.Commands;
using UpsAgent.Core.Names;
using UpsAgent.Core.State;

namespace UpsAgent.Drivers.Gpio;

/// <summary>
/// A UPS wired to GPIO lines (open-collector status contacts, or a UPS HAT's power-loss line), read as
/// NUT's generic_gpio reads it: the rules turn line levels into ups.status. Edges wake the driver at
/// once; the lines are also read every poll interval. An optional output line cuts the power when
/// pulsed (load.off, shutdown.stayoff). A chip that cannot be opened or read is retried every poll
/// interval, with the data stale meanwhile; the agent keeps running.
/// </summary>
public sealed class GpioUpsDriver : IUpsDriver
{
    public const string DriverName = "gpio";

    private readonly UpsStateWriter _writer;
    private readonly GpioDriverOptions _options;
    private readonly ILogger _logger;
    private readonly Func<GpioController> _open;
    private readonly SemaphoreSlim _edge = new(0, 1);
    private readonly Lock _gate = new();
    private GpioController? _controller;
    private string? _publishedStatus;
    private bool _everPublished;
    private string? _lastProblem;
    private int _started;

    public GpioUpsDriver(UpsStateWriter writer, GpioDriverOptions options, ILogger logger)
        : this(writer, options, logger, () => GpioChips.Open(options.ChipNumber))
    {
    }

    /// <summary>With another way to open the chip (tests pass a controller over a fake driver).</summary>
    public GpioUpsDriver(UpsStateWriter writer, GpioDriverOptions options, ILogger logger, Func<GpioController> open)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(open);
        if (options.PollInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.PollInterval, "The poll interval must be positive.");
        }

        if (options.ShutdownLine is { } line && options.Rules.Lines.Contains(line))
        {
            throw new ArgumentException($"Line {line} cannot be both a status input and the power-off output.", nameof(options));
        }

        _writer = writer;
        _options = options;
        _logger = logger;
        _open = open;
    }

    private IReadOnlyList<string> Commands => _options.ShutdownLine is null ? [] : ["load.off", "shutdown.stayoff"];

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("A GpioUpsDriver runs once; create a new one to run again.");
        }

        _logger.LogInformation("GPIO UPS on {Chip}: rules {Rules}", _options.Chip, _options.Rules.Text);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    lock (_gate)
                    {
                        _controller ??= OpenLines();
                        Publish(ReadStatus(_controller));
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    Lost(e);
                }

                try
                {
                    await _edge.WaitAsync(_options.PollInterval, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    break;
                }
            }
        }
        finally
        {
            lock (_gate)
            {
                CloseController();
            }

            _writer.MarkDisconnected();
            _logger.LogInformation("GPIO UPS on {Chip}: stopped", _options.Chip);
        }
    }

    private GpioController OpenLines()
    {
        GpioController controller = _open();
        try
        {
            foreach (int line in _options.Rules.Lines)
            {
                controller.OpenPin(line, _options.InputMode);
                controller.RegisterCallbackForPinValueChangedEvent(line, PinEventTypes.Rising | PinEventTypes.Falling, OnEdge);
            }

            if (_options.ShutdownLine is { } output)
            {
                controller.OpenPin(output, PinMode.Output, _options.ShutdownActiveHigh ? PinValue.Low : PinValue.High);
            }

            return controller;
        }
        catch
        {
            controller.Dispose();
            throw;
        }
    }

    private void OnEdge(object sender, PinValueChangedEventArgs args)
    {
        // Wake the loop; one pending wake-up is enough, it reads every line.
        try
        {
            if (_edge.CurrentCount == 0)
            {
                _edge.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // Another edge woke it already.
        }
    }

    private UpsStatus ReadStatus(GpioController controller) =>
        _options.Rules.Evaluate(line => controller.Read(line) == PinValue.High);

    private void Publish(UpsStatus status)
    {
        string text = UpsStatusTokens.Format(status);
        if (!_everPublished)
        {
            var variables = new List<UpsVariable>
            {
                new(NutNames.UpsStatus, text),
                new(NutNames.DeviceType, "ups"),
                new(NutNames.DriverName, DriverName),
                new(NutNames.DriverVersion, DriverVersion),
                new("driver.parameter.port", _options.Chip),
                new("driver.parameter.rules", _options.Rules.Text),
            };
            if (_options.Manufacturer is { } mfr)
            {
                variables.Add(new(NutNames.UpsMfr, mfr));
                variables.Add(new(NutNames.DeviceMfr, mfr));
            }

            if (_options.Model is { } model)
            {
                variables.Add(new(NutNames.UpsModel, model));
                variables.Add(new(NutNames.DeviceModel, model));
            }

            _writer.Publish(variables, Commands);
            _everPublished = true;
        }
        else if (text != _publishedStatus)
        {
            _writer.SetValue(NutNames.UpsStatus, text);
        }

        if (text != _publishedStatus)
        {
            _logger.LogInformation("GPIO UPS on {Chip}: status {Status}", _options.Chip, text.Length == 0 ? "(none)" : text);
        }

        _publishedStatus = text;
        _writer.MarkFresh();
        if (_lastProblem is not null)
        {
            _lastProblem = null;
            _logger.LogInformation("GPIO UPS on {Chip}: lines readable again", _options.Chip);
        }
    }

    private void Lost(Exception e)
    {
        lock (_gate)
        {
            CloseController();
        }

        if (_everPublished)
        {
            _writer.MarkStale();
        }

        string problem = $"{e.GetType().Name}: {e.Message}";
        if (problem != _lastProblem)
        {
            _lastProblem = problem;
            _logger.LogError(
                "GPIO UPS on {Chip}: cannot read lines {Lines}: {Problem} (does /dev/{Device} exist, may this user open it, is libgpiod installed?); retrying every {Interval} s",
                _options.Chip, string.Join(",", _options.Rules.Lines), e.Message, $"gpiochip{GpioDriverOptions.ParseChip(_options.Chip)}", _options.PollInterval.TotalSeconds);
        }
    }

    private void CloseController()
    {
        if (_controller is not null)
        {
            try
            {
                _controller.Dispose();
            }
            catch (Exception e) when (e is IOException or InvalidOperationException)
            {
                _logger.LogDebug("GPIO UPS on {Chip}: closing the chip: {Problem}", _options.Chip, e.Message);
            }

            _controller = null;
        }
    }

    public ValueTask<CommandOutcome> SetVariableAsync(string name, string value, CancellationToken cancellationToken) =>
        ValueTask.FromResult(CommandOutcome.Unknown);

    /// <summary>load.off and shutdown.stayoff pulse the power-off line (the HAT then cuts the power).</summary>
    public async ValueTask<CommandOutcome> RunInstantCommandAsync(string name, string? parameter, CancellationToken cancellationToken)
    {
        if (_options.ShutdownLine is not { } line || !Commands.Contains(name))
        {
            return CommandOutcome.Unknown;
        }

        if (parameter is not null)
        {
            return CommandOutcome.InvalidArgument;
        }

        PinValue active = _options.ShutdownActiveHigh ? PinValue.High : PinValue.Low;
        PinValue idle = _options.ShutdownActiveHigh ? PinValue.Low : PinValue.High;
        try
        {
            lock (_gate)
            {
                (_controller ?? throw new IOException("the GPIO chip is not open")).Write(line, active);
            }

            _logger.LogWarning("GPIO UPS on {Chip}: {Command}: holding line {Line} {Level} for {Seconds} s", _options.Chip, name, line, active, _options.ShutdownPulse.TotalSeconds);
            await Task.Delay(_options.ShutdownPulse, CancellationToken.None).ConfigureAwait(false);
            lock (_gate)
            {
                _controller?.Write(line, idle);
            }

            return CommandOutcome.Success;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or UnauthorizedAccessException)
        {
            _logger.LogError("GPIO UPS on {Chip}: {Command} failed: {Problem}", _options.Chip, name, e.Message);
            return CommandOutcome.Failed;
        }
    }

    private static string DriverVersion { get; } =
        typeof(GpioUpsDriver).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0";
}
