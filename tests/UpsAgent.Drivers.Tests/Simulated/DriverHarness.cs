using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using UpsAgent.Core.Commands;
using UpsAgent.Core.State;
using UpsAgent.Drivers.Simulated;
using UpsAgent.TestKit.Timing;

namespace UpsAgent.Drivers.Tests.Simulated;

/// <summary>
/// A running <see cref="SimulatedDriver"/> on a <see cref="FakeClock"/>. The driver's loop always
/// waits on exactly one clock delay when it is idle, so "one pending delay" means it has caught up.
/// </summary>
internal sealed class DriverHarness : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task _run = Task.CompletedTask;

    private DriverHarness(DeviceDefinition definition, SequenceMode? mode, double speed)
    {
        Store = new UpsStateStore("sim", "Simulated UPS", Clock);
        Driver = new SimulatedDriver(
            Store.CreateWriter(),
            new SimulatedDriverOptions { Definition = definition, Mode = mode, Speed = speed },
            Clock,
            NullLogger.Instance);
    }

    public FakeClock Clock { get; } = new();

    public UpsStateStore Store { get; }

    public SimulatedDriver Driver { get; }

    public UpsState State => Store.Current;

    public Task Running => _run;

    public static Task<DriverHarness> StartAsync(string text, SequenceMode? mode = SequenceMode.Once, double speed = 1) =>
        StartAsync(new DeviceDefinition("test.seq", text), mode, speed);

    public static async Task<DriverHarness> StartAsync(DeviceDefinition definition, SequenceMode? mode, double speed = 1)
    {
        var harness = new DriverHarness(definition, mode, speed);
        harness._run = harness.Driver.RunAsync(harness._stop.Token);
        await harness.SettleAsync();
        return harness;
    }

    public string? Value(string name) => State.GetValue(name);

    public string? Status => State.GetValue("ups.status");

    public async Task SettleAsync()
    {
        var watch = Stopwatch.StartNew();
        while (Clock.PendingDelays != 1 && !_run.IsCompleted)
        {
            if (watch.Elapsed > TimeSpan.FromSeconds(10))
            {
                throw new TimeoutException($"driver did not settle; {Clock.PendingDelays} pending delays");
            }

            await Task.Delay(1);
        }
    }

    /// <summary>Moves time in steps (whole device seconds by default), letting the driver catch up after each.</summary>
    public async Task AdvanceAsync(double seconds, double step = 1)
    {
        // Whole ticks, so that ten steps of 0.1 s add up to exactly one second.
        long total = (long)Math.Round(seconds * TimeSpan.TicksPerSecond);
        long stride = (long)Math.Round(step * TimeSpan.TicksPerSecond);
        for (long done = 0; done < total; done += stride)
        {
            Clock.Advance(TimeSpan.FromTicks(Math.Min(stride, total - done)));
            await SettleAsync();
        }
    }

    public async Task<CommandOutcome> CommandAsync(string name, string? parameter = null)
    {
        CommandOutcome outcome = await Driver.RunInstantCommandAsync(name, parameter, CancellationToken.None);
        await SettleAsync();
        return outcome;
    }

    public async Task<CommandOutcome> SetAsync(string name, string value)
    {
        CommandOutcome outcome = await Driver.SetVariableAsync(name, value, CancellationToken.None);
        await SettleAsync();
        return outcome;
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _run;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }
}
