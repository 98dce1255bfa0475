using Microsoft.Extensions.Logging.Abstractions;
using UpsAgent.Core.Commands;
using UpsAgent.Core.State;
using UpsAgent.Drivers.Simulated;
using UpsAgent.TestKit.Timing;

namespace UpsAgent.Drivers.Tests.Simulated;

[TestClass]
public sealed class SimulatedDriverPlaybackTests
{
    private const string ThreeSteps = "a.value: 1\nTIMER 3\na.value: 2\nTIMER 2\na.value: 3\n";

    [TestMethod]
    public async Task Initial_dump_is_published_fresh_with_driver_variables_and_commands()
    {
        await using DriverHarness ups = await DriverHarness.StartAsync(SimulatedDevices.Online, mode: null);

        Assert.AreEqual(UpsDataState.Fresh, ups.State.DataState);
        Assert.AreEqual("OL CHRG", ups.Status);
        Assert.AreEqual("100", ups.Value("battery.charge"));
        Assert.AreEqual("simulated", ups.Value("driver.name"));
        Assert.AreEqual("online.dev", ups.Value("driver.parameter.port"));
        Assert.AreEqual("dummy-once", ups.Value("driver.parameter.mode"));
        Assert.IsNotNull(ups.Value("driver.version"));
        Assert.AreEqual("-1", ups.Value("ups.timer.shutdown"));
        CollectionAssert.IsSubsetOf(
            new[] { "load.off", "load.on", "shutdown.return", "shutdown.stayoff", "shutdown.stop", "test.battery.start", "beeper.toggle" },
            ups.State.Commands.ToArray());
        Assert.HasCount(19, ups.State.Commands);
    }

    [TestMethod]
    public async Task Variables_carry_the_types_a_user_expects()
    {
        await using DriverHarness ups = await DriverHarness.StartAsync(SimulatedDevices.Online, mode: null);

        UpsVariable id = ups.State.Find("ups.id")!;
        Assert.AreEqual(VariableFlags.ReadWrite | VariableFlags.String, id.Flags);
        Assert.AreEqual(16, id.MaxLength);

        UpsVariable chargeLow = ups.State.Find("battery.charge.low")!;
        Assert.IsTrue(chargeLow.IsWritable);
        CollectionAssert.AreEqual(new[] { new ValueRange(0, 100) }, chargeLow.Ranges.ToArray());

        UpsVariable delay = ups.State.Find("ups.delay.shutdown")!;
        Assert.AreEqual(VariableFlags.ReadWrite | VariableFlags.Number, delay.Flags);
        Assert.IsFalse(delay.Ranges.IsEmpty);

        CollectionAssert.AreEqual(new[] { "low", "medium", "high" }, ups.State.Find("input.sensitivity")!.EnumValues.ToArray());
        Assert.IsTrue(ups.State.Find("input.transfer.low")!.IsWritable);
        Assert.IsTrue(ups.State.Find("battery.runtime.low")!.IsWritable);

        UpsVariable beeper = ups.State.Find("ups.beeper.status")!;
        Assert.IsFalse(beeper.IsWritable);
        CollectionAssert.AreEqual(new[] { "enabled", "disabled", "muted" }, beeper.EnumValues.ToArray());

        Assert.AreEqual(VariableFlags.Number, ups.State.Find("battery.charge")!.Flags);
        Assert.AreEqual(VariableFlags.String, ups.State.Find("device.mfr")!.Flags);
        Assert.AreEqual(VariableFlags.String, ups.State.Find("ups.firmware")!.Flags);
        Assert.IsFalse(ups.State.Find("ups.status")!.IsWritable);
    }

    [TestMethod]
    public async Task Once_mode_follows_timer_steps_exactly_and_stays_at_the_end()
    {
        await using DriverHarness ups = await DriverHarness.StartAsync(ThreeSteps, SequenceMode.Once);

        Assert.AreEqual("1", ups.Value("a.value"));
        await ups.AdvanceAsync(2);
        Assert.AreEqual("1", ups.Value("a.value"));
        await ups.AdvanceAsync(1);
        Assert.AreEqual("2", ups.Value("a.value"));
        await ups.AdvanceAsync(1);
        Assert.AreEqual("2", ups.Value("a.value"));
        await ups.AdvanceAsync(1);
        Assert.AreEqual("3", ups.Value("a.value"));
        await ups.AdvanceAsync(100);
        Assert.AreEqual("3", ups.Value("a.value"));
        Assert.AreEqual("dummy-once", ups.Value("driver.parameter.mode"));
    }

    [TestMethod]
    public async Task Loop_mode_starts_over_from_the_top_after_the_last_timer()
    {
        await using DriverHarness ups = await DriverHarness.StartAsync(
            "a.value: 1\nTIMER 3\na.value: 2\nTIMER 2\n", SequenceMode.Loop);

        var seen = new List<string?>();
        for (int second = 0; second <= 11; second++)
        {
            seen.Add(ups.Value("a.value"));
            await ups.AdvanceAsync(1);
        }

        CollectionAssert.AreEqual(
            new[] { "1", "1", "1", "2", "2", "1", "1", "1", "2", "2", "1", "1" },
            seen);
        Assert.AreEqual("dummy-loop", ups.Value("driver.parameter.mode"));
    }

    [TestMethod]
    public async Task Lines_after_the_last_timer_apply_and_are_overwritten_at_once_when_looping()
    {
        await using DriverHarness ups = await DriverHarness.StartAsync(ThreeSteps, SequenceMode.Loop);

        await ups.AdvanceAsync(5);

        Assert.AreEqual("1", ups.Value("a.value"));
    }

    [TestMethod]
    public async Task Looping_a_file_without_waits_plays_it_once_instead_of_spinning()
    {
        await using DriverHarness ups = await DriverHarness.StartAsync("a.value: 1\nTIMER 0\na.value: 2\n", SequenceMode.Loop);

        await ups.AdvanceAsync(10);

        Assert.AreEqual("2", ups.Value("a.value"));
        Assert.AreEqual(1, ups.Clock.PendingDelays);
    }

    [TestMethod]
    public async Task Outage_in_once_mode_reaches_low_battery_and_stays_there()
    {
        await using DriverHarness ups = await DriverHarness.StartAsync(SimulatedDevices.Outage, SequenceMode.Once);

        Assert.AreEqual("OL CHRG", ups.Status);
        await ups.AdvanceAsync(4);
        Assert.AreEqual("OL CHRG", ups.Status);
        await ups.AdvanceAsync(1);
        Assert.AreEqual("OB DISCHRG", ups.Status);
        Assert.AreEqual("0.0", ups.Value("input.voltage"));
        Assert.AreEqual("95", ups.Value("battery.charge"));
        await ups.AdvanceAsync(19);
        Assert.AreEqual("OB DISCHRG", ups.Status);
        Assert.AreEqual("25", ups.Value("battery.charge"));
        await ups.AdvanceAsync(1);
        Assert.AreEqual("OB LB DISCHRG", ups.Status);
        await ups.AdvanceAsync(120);
        Assert.AreEqual("OB LB DISCHRG", ups.Status);
        Assert.IsTrue(ups.State.Status.HasFlag(UpsStatus.LowBattery));
    }

    [TestMethod]
    public async Task Outage_in_loop_mode_returns_to_mains_every_30_seconds()
    {
        await using DriverHarness ups = await DriverHarness.StartAsync(SimulatedDevices.Outage, mode: null);

        await ups.AdvanceAsync(29);
        Assert.AreEqual("OB LB DISCHRG", ups.Status);
        await ups.AdvanceAsync(1);
        Assert.AreEqual("OL CHRG", ups.Status);
        Assert.AreEqual("100", ups.Value("battery.charge"));
        await ups.AdvanceAsync(5);
        Assert.AreEqual("OB DISCHRG", ups.Status);
    }

    [TestMethod]
    public async Task Speed_divides_every_wait()
    {
        await using DriverHarness ups = await DriverHarness.StartAsync(SimulatedDevices.Outage, SequenceMode.Once, speed: 10);

        await ups.AdvanceAsync(0.4, step: 0.1);
        Assert.AreEqual("OL CHRG", ups.Status);
        await ups.AdvanceAsync(0.1, step: 0.1);
        Assert.AreEqual("OB DISCHRG", ups.Status);
        await ups.AdvanceAsync(2.0, step: 0.1);
        Assert.AreEqual("OB LB DISCHRG", ups.Status);
        Assert.AreEqual("10", ups.Value("driver.parameter.speed"));
    }

    [TestMethod]
    public async Task Alarm_instruction_raises_ups_alarm_and_the_alarm_token_until_cleared()
    {
        await using DriverHarness ups = await DriverHarness.StartAsync(
            "ups.status: OL\nALARM Replace battery\nTIMER 2\nALARM\nTIMER 2\n");

        Assert.AreEqual("Replace battery", ups.Value("ups.alarm"));
        Assert.AreEqual("OL ALARM", ups.Status);
        await ups.AdvanceAsync(2);
        Assert.IsNull(ups.Value("ups.alarm"));
        Assert.AreEqual("OL", ups.Status);
    }

    [TestMethod]
    public async Task Empty_value_removes_a_variable_and_driver_lines_are_ignored()
    {
        await using DriverHarness ups = await DriverHarness.StartAsync(
            "ups.status: OL\ndriver.name: usbhid-ups\ninput.transfer.reason: blackout\nTIMER 2\ninput.transfer.reason:\n");

        Assert.AreEqual("simulated", ups.Value("driver.name"));
        Assert.AreEqual("blackout", ups.Value("input.transfer.reason"));
        await ups.AdvanceAsync(2);
        Assert.IsNull(ups.State.Find("input.transfer.reason"));
    }

    [TestMethod]
    public async Task A_file_without_ups_status_reads_as_on_line()
    {
        await using DriverHarness ups = await DriverHarness.StartAsync("ups.load: 5\n");

        Assert.AreEqual("OL", ups.Status);
    }

    [TestMethod]
    public async Task Cancellation_marks_the_ups_disconnected_and_later_commands_fail()
    {
        DriverHarness ups = await DriverHarness.StartAsync(SimulatedDevices.Outage, mode: null);

        await ups.DisposeAsync();

        Assert.AreEqual(UpsDataState.NotConnected, ups.State.DataState);
        Assert.IsTrue(ups.Running.IsCompletedSuccessfully);
        Assert.AreEqual(CommandOutcome.Failed, await ups.Driver.RunInstantCommandAsync("load.off", null, CancellationToken.None));
        Assert.AreEqual(CommandOutcome.Failed, await ups.Driver.SetVariableAsync("ups.id", "x", CancellationToken.None));
    }

    [TestMethod]
    public async Task Commands_before_the_first_dump_fail()
    {
        var clock = new FakeClock();
        var store = new UpsStateStore("sim", "", clock);
        var driver = new SimulatedDriver(store.CreateWriter(), new SimulatedDriverOptions { Definition = SimulatedDevices.Online }, clock, NullLogger.Instance);

        Assert.AreEqual(CommandOutcome.Failed, await driver.RunInstantCommandAsync("beeper.disable", null, CancellationToken.None));
        Assert.AreEqual(UpsDataState.Waiting, store.Current.DataState);
    }

    [TestMethod]
    public async Task A_driver_runs_only_once()
    {
        await using DriverHarness ups = await DriverHarness.StartAsync(SimulatedDevices.Online, mode: null);

        await Assert.ThrowsExactlyAsync<InvalidOperationException>(() => ups.Driver.RunAsync(CancellationToken.None));
    }

    [TestMethod]
    public void Bad_definition_or_speed_is_refused_when_the_driver_is_built()
    {
        var clock = new FakeClock();
        var store = new UpsStateStore("sim", "", clock);

        DeviceScriptException error = Assert.ThrowsExactly<DeviceScriptException>(() => new SimulatedDriver(
            store.CreateWriter(),
            new SimulatedDriverOptions { Definition = new DeviceDefinition("broken.dev", "ups.status: OL\nTIMER x\n") },
            clock,
            NullLogger.Instance));
        Assert.AreEqual("broken.dev line 2: TIMER needs a whole number of seconds (0 or more), got 'x'", error.Message);

        var other = new UpsStateStore("sim2", "", clock);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new SimulatedDriver(
            other.CreateWriter(),
            new SimulatedDriverOptions { Definition = SimulatedDevices.Online, Speed = 0 },
            clock,
            NullLogger.Instance));
    }

    [TestMethod]
    public async Task Unchanged_state_publishes_no_new_snapshot()
    {
        await using DriverHarness ups = await DriverHarness.StartAsync("a.value: 1\nTIMER 2\na.value: 1\nTIMER 2\n", SequenceMode.Loop);
        long version = ups.State.Version;

        await ups.AdvanceAsync(8);

        Assert.AreEqual(version, ups.State.Version);
    }
}
