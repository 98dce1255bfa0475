using System.Reflection;
using Microsoft.Extensions.Logging;
using UpsAgent.Core.Commands;
using UpsAgent.Core.Names;
using UpsAgent.Core.State;
using UpsAgent.Core.Timing;

namespace UpsAgent.Drivers.Simulated;

/// <summary>
/// The agent's default driver: a UPS played from a dummy-ups definition file (see
/// <see cref="SimulatedUps"/> for how commands and the sequence share the state). Commands and the
/// sequence player take turns through one gate, so the driver stays the only, serial writer.
/// </summary>
public sealed class SimulatedDriver : IUpsDriver
{
    public const string DriverName = "simulated";

    // With nothing scheduled the loop still waits on the clock, so a test clock sees one pending delay.
    private static readonly TimeSpan IdleWait = TimeSpan.FromHours(1);

    private static readonly string[] Commands =
    [
        NutCommandNames.BeeperDisable, NutCommandNames.BeeperEnable, NutCommandNames.BeeperMute, NutCommandNames.BeeperToggle,
        NutCommandNames.CalibrateStart, NutCommandNames.CalibrateStop,
        NutCommandNames.LoadOff, NutCommandNames.LoadOffDelay, NutCommandNames.LoadOn, NutCommandNames.LoadOnDelay,
        NutCommandNames.ShutdownReturn, NutCommandNames.ShutdownStayOff, NutCommandNames.ShutdownStop,
        NutCommandNames.TestBatteryStart, NutCommandNames.TestBatteryStartDeep, NutCommandNames.TestBatteryStartQuick,
        NutCommandNames.TestBatteryStop, NutCommandNames.TestPanelStart, NutCommandNames.TestPanelStop,
    ];

    private readonly UpsStateWriter _writer;
    private readonly IClock _clock;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly SimulatedUps _ups;
    private readonly string _sourceName;
    private Dictionary<string, UpsVariable> _published = new(StringComparer.OrdinalIgnoreCase);
    private CancellationTokenSource? _wake;
    private bool _running;
    private int _started;

    /// <exception cref="DeviceScriptException">The definition file cannot be parsed.</exception>
    public SimulatedDriver(UpsStateWriter writer, SimulatedDriverOptions options, IClock clock, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(logger);
        if (!double.IsFinite(options.Speed) || options.Speed <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Speed, "Speed must be a positive number.");
        }

        _writer = writer;
        _clock = clock;
        _logger = logger;
        DeviceScript script = options.Definition.Parse();
        _sourceName = script.SourceName;
        Mode = options.Mode ?? options.Definition.DefaultMode;
        var driverValues = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            [NutNames.DriverName] = DriverName,
            [NutNames.DriverVersion] = typeof(SimulatedDriver).Assembly
                .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0",
            ["driver.parameter.port"] = options.Definition.Name,
            ["driver.parameter.mode"] = Mode == SequenceMode.Loop ? "dummy-loop" : "dummy-once",
        };
        if (options.Speed != 1.0)
        {
            driverValues["driver.parameter.speed"] = options.Speed.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        _ups = new SimulatedUps(script, Mode, options.Speed, () => clock.UtcNow, driverValues);
        _ups.SequenceRestarted += name => _logger.LogDebug("simulated UPS: {Source} starts over", name);
    }

    public SequenceMode Mode { get; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("A SimulatedDriver runs once; create a new one to run again.");
        }

        try
        {
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                _ups.Start(_clock.Elapsed);
                List<UpsVariable> initial = _ups.Render();
                _writer.Publish(initial, Commands);
                _published = initial.ToDictionary(v => v.Name, StringComparer.OrdinalIgnoreCase);
                _running = true;
            }
            finally
            {
                _gate.Release();
            }

            _logger.LogInformation("simulated UPS playing {Source} ({Mode})", _sourceName, Mode);
            while (!cancellationToken.IsCancellationRequested)
            {
                TimeSpan wait;
                CancellationTokenSource wake;
                await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    _ups.Advance(_clock.Elapsed);
                    PublishChanges();
                    wait = _ups.NextDue is { } due ? TimeSpan.FromTicks(Math.Max(0, (due - _clock.Elapsed).Ticks)) : IdleWait;
                    _wake?.Dispose();
                    _wake = wake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                }
                finally
                {
                    _gate.Release();
                }

                try
                {
                    await _clock.DelayAsync(wait, wake.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // A command changed the schedule; look again.
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping is the normal way out.
        }
        finally
        {
            await _gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            try
            {
                _running = false;
                _wake?.Dispose();
                _wake = null;
                _writer.MarkDisconnected();
            }
            finally
            {
                _gate.Release();
            }

            _logger.LogInformation("simulated UPS stopped");
        }
    }

    public async ValueTask<CommandOutcome> SetVariableAsync(string name, string value, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        return await UnderGateAsync(() => _ups.SetVariable(name, value), $"SET {name}", cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<CommandOutcome> RunInstantCommandAsync(string name, string? parameter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        return await UnderGateAsync(() => _ups.RunCommand(name, parameter, _clock.Elapsed), $"INSTCMD {name}", cancellationToken)
            .ConfigureAwait(false);
    }

    private async ValueTask<CommandOutcome> UnderGateAsync(Func<CommandOutcome> action, string what, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        CommandOutcome outcome;
        try
        {
            if (!_running)
            {
                return CommandOutcome.Failed;
            }

            // Catch up first, so the command acts on the state as of now.
            _ups.Advance(_clock.Elapsed);
            outcome = action();
            PublishChanges();
            _wake?.Cancel();
        }
        finally
        {
            _gate.Release();
        }

        _logger.LogInformation("simulated UPS: {Request} -> {Outcome}", what, outcome);
        return outcome;
    }

    private void PublishChanges()
    {
        List<UpsVariable> next = _ups.Render();
        var byName = next.ToDictionary(v => v.Name, StringComparer.OrdinalIgnoreCase);
        var changed = next.Where(v => !_published.TryGetValue(v.Name, out UpsVariable? old) || !SameDefinition(old, v)).ToList();
        var removed = _published.Keys.Where(name => !byName.ContainsKey(name)).ToList();
        if (changed.Count > 0)
        {
            _writer.Define(changed);
        }

        foreach (string name in removed)
        {
            _writer.Remove(name);
        }

        _published = byName;
    }

    private static bool SameDefinition(UpsVariable a, UpsVariable b) =>
        a.Value == b.Value
        && a.Flags == b.Flags
        && a.MaxLength == b.MaxLength
        && a.EnumValues.SequenceEqual(b.EnumValues)
        && a.Ranges.SequenceEqual(b.Ranges);
}
