using System.Device.Gpio;
using Microsoft.Extensions.Logging.Abstractions;
using UpsAgent.Core.Commands;
using UpsAgent.Core.State;
using UpsAgent.Core.Timing;
using UpsAgent.Drivers.Gpio;

namespace UpsAgent.Drivers.Tests.Gpio;

/// <summary>The GPIO driver over a fake chip: a Geekworm X728-style power-loss line on 6 and power-off line on 26.</summary>
[TestClass]
public sealed class GpioUpsDriverTests
{
    private sealed class Running : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();

        public Running(GpioDriverOptions options, FakeGpioDriver chip, Func<GpioController>? open = null)
        {
            Chip = chip;
            Store = new UpsStateStore("hat", "UPS HAT", new SystemClock());
            Driver = new GpioUpsDriver(Store.CreateWriter(), options, NullLogger.Instance, open ?? (() => new GpioController(chip)));
            Task = Driver.RunAsync(_stop.Token);
        }

        public FakeGpioDriver Chip { get; }

        public UpsStateStore Store { get; }

        public GpioUpsDriver Driver { get; }

        public Task Task { get; }

        public string? Status => Store.Current.GetValue("ups.status");

        public async Task EventuallyAsync(Func<bool> condition, string what)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (!condition())
            {
                Assert.IsLessThan(deadline, DateTime.UtcNow, $"timed out waiting until {what}; status '{Status}', data {Store.Current.DataState}");
                await System.Threading.Tasks.Task.Delay(5);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await Task.WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    private static GpioDriverOptions X728(TimeSpan? poll = null) => new()
    {
        Rules = GpioRules.Parse("OL=^6;OB=6;"),
        InputMode = PinMode.InputPullUp,
        PollInterval = poll ?? TimeSpan.FromMinutes(10), // edges alone must drive the status
        ShutdownLine = 26,
        ShutdownPulse = TimeSpan.FromMilliseconds(50),
        Manufacturer = "Geekworm",
        Model = "X728",
    };

    [TestMethod]
    public async Task An_edge_on_the_power_loss_line_changes_the_status_at_once()
    {
        await using var ups = new Running(X728(), new FakeGpioDriver());
        await ups.EventuallyAsync(() => ups.Status == "OL", "online at start");
        Assert.AreEqual(PinMode.InputPullUp, ups.Chip.ModeOf(6));
        Assert.AreEqual(PinMode.Output, ups.Chip.ModeOf(26));
        Assert.AreEqual("Geekworm", ups.Store.Current.GetValue("ups.mfr"));
        Assert.AreEqual("gpio", ups.Store.Current.GetValue("driver.name"));
        Assert.AreEqual("OL=^6;OB=6;", ups.Store.Current.GetValue("driver.parameter.rules"));
        CollectionAssert.AreEquivalent(new[] { "load.off", "shutdown.stayoff" }, ups.Store.Current.Commands.ToArray());

        ups.Chip.SetInput(6, PinValue.High);
        await ups.EventuallyAsync(() => ups.Status == "OB", "on battery after the rising edge");
        ups.Chip.SetInput(6, PinValue.Low);
        await ups.EventuallyAsync(() => ups.Status == "OL", "online after the falling edge");
    }

    [TestMethod]
    public async Task A_missed_edge_is_caught_by_the_next_poll()
    {
        await using var ups = new Running(X728(TimeSpan.FromMilliseconds(50)), new FakeGpioDriver());
        await ups.EventuallyAsync(() => ups.Status == "OL", "online at start");
        ups.Chip.SetInput(6, PinValue.High, fireEdge: false);
        await ups.EventuallyAsync(() => ups.Status == "OB", "on battery from polling alone");
    }

    [TestMethod]
    public async Task Load_off_pulses_the_power_off_line_and_leaves_it_idle()
    {
        await using var ups = new Running(X728(), new FakeGpioDriver());
        await ups.EventuallyAsync(() => ups.Status == "OL", "online at start");

        Assert.AreEqual(CommandOutcome.Success, await ups.Driver.RunInstantCommandAsync("load.off", null, CancellationToken.None));
        CollectionAssert.AreEqual(new[] { (26, PinValue.High), (26, PinValue.Low) }, ups.Chip.Writes.Where(w => w.Pin == 26).Skip(ups.Chip.Writes.Count(w => w.Pin == 26) - 2).ToArray());
        Assert.AreEqual(CommandOutcome.Unknown, await ups.Driver.RunInstantCommandAsync("beeper.disable", null, CancellationToken.None));
        Assert.AreEqual(CommandOutcome.InvalidArgument, await ups.Driver.RunInstantCommandAsync("load.off", "5", CancellationToken.None));
        Assert.AreEqual(CommandOutcome.Unknown, await ups.Driver.SetVariableAsync("ups.id", "x", CancellationToken.None));
    }

    [TestMethod]
    public async Task Without_a_power_off_line_there_are_no_commands()
    {
        await using var ups = new Running(X728() with { ShutdownLine = null }, new FakeGpioDriver());
        await ups.EventuallyAsync(() => ups.Status == "OL", "online at start");
        Assert.IsEmpty(ups.Store.Current.Commands);
        Assert.AreEqual(CommandOutcome.Unknown, await ups.Driver.RunInstantCommandAsync("load.off", null, CancellationToken.None));
    }

    [TestMethod]
    public async Task A_chip_that_fails_makes_the_data_stale_and_is_reopened_when_it_works_again()
    {
        var chip = new FakeGpioDriver();
        await using var ups = new Running(X728(TimeSpan.FromMilliseconds(50)), chip);
        await ups.EventuallyAsync(() => ups.Status == "OL", "online at start");
        int opened = chip.OpenCount;

        chip.ReadFault = new IOException("Input/output error");
        await ups.EventuallyAsync(() => ups.Store.Current.DataState == UpsDataState.Stale, "stale while the chip fails");
        Assert.IsFalse(ups.Task.IsCompleted, "the driver keeps trying");

        chip.ReadFault = null;
        chip.InitialLevels[6] = PinValue.High;
        await ups.EventuallyAsync(() => ups.Store.Current.DataState == UpsDataState.Fresh && ups.Status == "OB", "fresh again, reopened");
        Assert.IsGreaterThan(opened, chip.OpenCount);
    }

    [TestMethod]
    public async Task A_chip_that_cannot_be_opened_leaves_the_ups_waiting_and_the_driver_running()
    {
        int attempts = 0;
        await using var ups = new Running(X728(TimeSpan.FromMilliseconds(20)), new FakeGpioDriver(), () =>
        {
            Interlocked.Increment(ref attempts);
            throw new IOException("Unable to find a chip, error: 2 (No such file or directory)");
        });
        await ups.EventuallyAsync(() => Volatile.Read(ref attempts) >= 3, "a few attempts");
        Assert.AreEqual(UpsDataState.Waiting, ups.Store.Current.DataState);
        Assert.IsFalse(ups.Task.IsCompleted);
    }

    [TestMethod]
    public async Task On_this_host_without_that_chip_the_real_interface_fails_cleanly()
    {
        // No /dev/gpiochip99 anywhere we run: whichever interface the host has (libgpiod v2, v1 or
        // sysfs) must fail to open it with an error the driver reports, not crash the process.
        var options = X728(TimeSpan.FromMilliseconds(50)) with { Chip = "gpiochip99" };
        var store = new UpsStateStore("hat", "UPS HAT", new SystemClock());
        var driver = new GpioUpsDriver(store.CreateWriter(), options, NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        Task run = driver.RunAsync(stop.Token);
        await Task.Delay(300);
        Assert.IsFalse(run.IsCompleted, "the driver keeps running");
        Assert.AreEqual(UpsDataState.Waiting, store.Current.DataState);
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.AreEqual(UpsDataState.NotConnected, store.Current.DataState);
    }
}
