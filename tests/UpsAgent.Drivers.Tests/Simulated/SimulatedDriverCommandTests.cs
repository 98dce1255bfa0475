using UpsAgent.Core.Commands;
using UpsAgent.Drivers.Simulated;

namespace UpsAgent.Drivers.Tests.Simulated;

[TestClass]
public sealed class SimulatedDriverCommandTests
{
    private const string OnBattery = "ups.status: OB DISCHRG\nups.test.result: No test initiated\nups.beeper.status: enabled\n";

    private static Task<DriverHarness> OnlineAsync() => DriverHarness.StartAsync(SimulatedDevices.Online, mode: null);

    [TestMethod]
    public async Task Every_offered_command_is_accepted_by_the_driver()
    {
        await using DriverHarness ups = await OnlineAsync();

        foreach (string command in ups.State.Commands)
        {
            Assert.AreNotEqual(CommandOutcome.Unknown, await ups.CommandAsync(command), command);
        }
    }

    [TestMethod]
    public async Task Unknown_command_is_reported_unknown()
    {
        await using DriverHarness ups = await OnlineAsync();

        Assert.AreEqual(CommandOutcome.Unknown, await ups.CommandAsync("bypass.start"));
        Assert.AreEqual(CommandOutcome.Unknown, await ups.CommandAsync("no.such.command"));
    }

    [TestMethod]
    public async Task Command_names_match_case_insensitively()
    {
        await using DriverHarness ups = await OnlineAsync();

        Assert.AreEqual(CommandOutcome.Success, await ups.CommandAsync("BEEPER.DISABLE"));
        Assert.AreEqual("disabled", ups.Value("ups.beeper.status"));
    }

    [TestMethod]
    public async Task Load_off_turns_the_output_off_and_load_on_brings_it_back()
    {
        await using DriverHarness ups = await OnlineAsync();

        Assert.AreEqual(CommandOutcome.Success, await ups.CommandAsync("load.off"));
        Assert.AreEqual("OL CHRG OFF", ups.Status);
        Assert.AreEqual("0", ups.Value("output.voltage"));
        Assert.AreEqual("0", ups.Value("ups.load"));
        Assert.AreEqual("0", ups.Value("ups.power"));
        Assert.AreEqual("0", ups.Value("ups.realpower"));
        Assert.AreEqual("50.0", ups.Value("output.frequency"));

        Assert.AreEqual(CommandOutcome.Success, await ups.CommandAsync("load.on"));
        Assert.AreEqual("OL CHRG", ups.Status);
        Assert.AreEqual("230.0", ups.Value("output.voltage"));
        Assert.AreEqual("18", ups.Value("ups.load"));
    }

    [TestMethod]
    public async Task Output_stays_off_while_the_sequence_changes_output_values_which_show_after_load_on()
    {
        await using DriverHarness ups = await DriverHarness.StartAsync(
            "ups.status: OL\noutput.voltage: 230\nTIMER 2\nups.status: OB\noutput.voltage: 229\nTIMER 2\n");

        await ups.CommandAsync("load.off");
        await ups.AdvanceAsync(2);

        Assert.AreEqual("OB OFF", ups.Status);
        Assert.AreEqual("0", ups.Value("output.voltage"));
        await ups.CommandAsync("load.on");
        Assert.AreEqual("OB", ups.Status);
        Assert.AreEqual("229", ups.Value("output.voltage"));
    }

    [TestMethod]
    public async Task Load_off_delay_counts_down_its_parameter_then_turns_off()
    {
        await using DriverHarness ups = await OnlineAsync();

        Assert.AreEqual(CommandOutcome.Success, await ups.CommandAsync("load.off.delay", "5"));
        Assert.AreEqual("5", ups.Value("ups.timer.shutdown"));
        await ups.AdvanceAsync(4);
        Assert.AreEqual("1", ups.Value("ups.timer.shutdown"));
        Assert.AreEqual("OL CHRG", ups.Status);
        await ups.AdvanceAsync(1);
        Assert.AreEqual("-1", ups.Value("ups.timer.shutdown"));
        Assert.AreEqual("OL CHRG OFF", ups.Status);
        await ups.AdvanceAsync(100);
        Assert.AreEqual("OL CHRG OFF", ups.Status);
    }

    [TestMethod]
    public async Task Load_off_delay_without_parameter_uses_ups_delay_shutdown()
    {
        await using DriverHarness ups = await OnlineAsync();

        await ups.CommandAsync("load.off.delay");

        Assert.AreEqual("20", ups.Value("ups.timer.shutdown"));
    }

    [TestMethod]
    [DataRow("load.off.delay", "soon")]
    [DataRow("load.off.delay", "-3")]
    [DataRow("load.off.delay", "")]
    [DataRow("load.on.delay", "1.5")]
    public async Task Delay_commands_refuse_a_parameter_that_is_not_whole_seconds(string command, string parameter)
    {
        await using DriverHarness ups = await OnlineAsync();

        Assert.AreEqual(CommandOutcome.InvalidArgument, await ups.CommandAsync(command, parameter));
        Assert.AreEqual("-1", ups.Value("ups.timer.shutdown"));
    }

    [TestMethod]
    public async Task Load_on_delay_counts_down_then_turns_the_output_on()
    {
        await using DriverHarness ups = await OnlineAsync();
        await ups.CommandAsync("load.off");

        Assert.AreEqual(CommandOutcome.Success, await ups.CommandAsync("load.on.delay", "3"));
        Assert.AreEqual("3", ups.Value("ups.timer.start"));
        await ups.AdvanceAsync(2);
        Assert.AreEqual("OL CHRG OFF", ups.Status);
        await ups.AdvanceAsync(1);
        Assert.AreEqual("OL CHRG", ups.Status);
        Assert.AreEqual("-1", ups.Value("ups.timer.start"));
    }

    [TestMethod]
    public async Task Load_on_delay_with_the_output_on_changes_nothing()
    {
        await using DriverHarness ups = await OnlineAsync();

        Assert.AreEqual(CommandOutcome.Success, await ups.CommandAsync("load.on.delay", "3"));

        Assert.AreEqual("-1", ups.Value("ups.timer.start"));
        Assert.AreEqual("OL CHRG", ups.Status);
    }

    [TestMethod]
    [DataRow("test.battery.start.quick", 10)]
    [DataRow("test.battery.start", 30)]
    [DataRow("test.battery.start.deep", 180)]
    [DataRow("test.panel.start", 5)]
    public async Task Tests_report_in_progress_then_done_and_passed_with_the_date(string command, int seconds)
    {
        await using DriverHarness ups = await OnlineAsync();

        Assert.AreEqual(CommandOutcome.Success, await ups.CommandAsync(command));
        Assert.AreEqual("In progress", ups.Value("ups.test.result"));
        await ups.AdvanceAsync(seconds - 1);
        Assert.AreEqual("In progress", ups.Value("ups.test.result"));
        await ups.AdvanceAsync(1);
        Assert.AreEqual("Done and passed", ups.Value("ups.test.result"));
        Assert.AreEqual("2026-01-01", ups.Value("ups.test.date"));
        Assert.AreEqual("OL CHRG", ups.Status);
    }

    [TestMethod]
    [DataRow("test.battery.stop")]
    [DataRow("test.panel.stop")]
    public async Task Stopping_a_test_reports_it_aborted(string stop)
    {
        await using DriverHarness ups = await OnlineAsync();
        await ups.CommandAsync("test.battery.start");
        await ups.AdvanceAsync(3);

        Assert.AreEqual(CommandOutcome.Success, await ups.CommandAsync(stop));

        Assert.AreEqual("Aborted", ups.Value("ups.test.result"));
        await ups.AdvanceAsync(60);
        Assert.AreEqual("Aborted", ups.Value("ups.test.result"));
    }

    [TestMethod]
    public async Task Stopping_when_no_test_runs_changes_nothing()
    {
        await using DriverHarness ups = await OnlineAsync();

        Assert.AreEqual(CommandOutcome.Success, await ups.CommandAsync("test.battery.stop"));

        Assert.AreEqual("No test initiated", ups.Value("ups.test.result"));
    }

    [TestMethod]
    public async Task A_second_test_while_one_runs_fails()
    {
        await using DriverHarness ups = await OnlineAsync();
        await ups.CommandAsync("test.battery.start");

        Assert.AreEqual(CommandOutcome.Failed, await ups.CommandAsync("test.battery.start.quick"));
    }

    [TestMethod]
    [DataRow("test.battery.start")]
    [DataRow("calibrate.start")]
    public async Task Tests_and_calibration_need_mains(string command)
    {
        await using DriverHarness ups = await DriverHarness.StartAsync(OnBattery);

        Assert.AreEqual(CommandOutcome.Failed, await ups.CommandAsync(command));

        Assert.AreEqual("OB DISCHRG", ups.Status);
        Assert.AreEqual("No test initiated", ups.Value("ups.test.result"));
    }

    [TestMethod]
    public async Task Tests_need_the_output_on()
    {
        await using DriverHarness ups = await OnlineAsync();
        await ups.CommandAsync("load.off");

        Assert.AreEqual(CommandOutcome.Failed, await ups.CommandAsync("test.battery.start"));
    }

    [TestMethod]
    public async Task Losing_mains_aborts_a_running_test_and_calibration()
    {
        await using DriverHarness ups = await DriverHarness.StartAsync(SimulatedDevices.Outage, SequenceMode.Once);
        await ups.CommandAsync("test.battery.start");

        await ups.AdvanceAsync(5);

        Assert.AreEqual("Aborted", ups.Value("ups.test.result"));
        Assert.AreEqual("OB DISCHRG", ups.Status);
    }

    [TestMethod]
    public async Task Calibration_shows_CAL_until_stopped()
    {
        await using DriverHarness ups = await OnlineAsync();

        Assert.AreEqual(CommandOutcome.Success, await ups.CommandAsync("calibrate.start"));
        Assert.AreEqual("OL CHRG CAL", ups.Status);
        await ups.AdvanceAsync(600);
        Assert.AreEqual("OL CHRG CAL", ups.Status);
        Assert.AreEqual(CommandOutcome.Success, await ups.CommandAsync("calibrate.stop"));
        Assert.AreEqual("OL CHRG", ups.Status);
    }

    [TestMethod]
    public async Task Calibration_ends_when_mains_is_lost()
    {
        await using DriverHarness ups = await DriverHarness.StartAsync(SimulatedDevices.Outage, SequenceMode.Once);
        await ups.CommandAsync("calibrate.start");

        await ups.AdvanceAsync(5);

        Assert.AreEqual("OB DISCHRG", ups.Status);
    }

    [TestMethod]
    public async Task Beeper_commands_set_the_beeper_status()
    {
        await using DriverHarness ups = await OnlineAsync();

        await ups.CommandAsync("beeper.disable");
        Assert.AreEqual("disabled", ups.Value("ups.beeper.status"));
        await ups.CommandAsync("beeper.mute");
        Assert.AreEqual("disabled", ups.Value("ups.beeper.status"));
        await ups.CommandAsync("beeper.toggle");
        Assert.AreEqual("enabled", ups.Value("ups.beeper.status"));
        await ups.CommandAsync("beeper.mute");
        Assert.AreEqual("muted", ups.Value("ups.beeper.status"));
        await ups.CommandAsync("beeper.toggle");
        Assert.AreEqual("disabled", ups.Value("ups.beeper.status"));
        await ups.CommandAsync("beeper.enable");
        Assert.AreEqual("enabled", ups.Value("ups.beeper.status"));
    }

    [TestMethod]
    public async Task Muted_beeper_sounds_again_at_the_next_power_event()
    {
        await using DriverHarness ups = await DriverHarness.StartAsync(SimulatedDevices.Outage, SequenceMode.Once);
        await ups.CommandAsync("beeper.mute");

        await ups.AdvanceAsync(5);

        Assert.AreEqual("enabled", ups.Value("ups.beeper.status"));
    }

    [TestMethod]
    public async Task Beeper_setting_made_by_command_is_kept_when_the_sequence_names_the_beeper()
    {
        await using DriverHarness ups = await DriverHarness.StartAsync(
            "ups.beeper.status: enabled\nTIMER 2\nups.beeper.status: enabled\nTIMER 2\n", SequenceMode.Loop);
        await ups.CommandAsync("beeper.disable");

        await ups.AdvanceAsync(6);

        Assert.AreEqual("disabled", ups.Value("ups.beeper.status"));
    }

    [TestMethod]
    public async Task Concurrent_commands_and_a_fast_sequence_keep_one_coherent_writer()
    {
        await using DriverHarness ups = await DriverHarness.StartAsync(SimulatedDevices.Outage, SequenceMode.Loop);
        using var subscription = ups.Store.Subscribe(capacity: 4096);

        Task clock = Task.Run(async () =>
        {
            for (int i = 0; i < 200; i++)
            {
                ups.Clock.Advance(TimeSpan.FromSeconds(1));
                await Task.Yield();
            }
        });
        Task<CommandOutcome>[] toggles = Enumerable.Range(0, 100)
            .Select(_ => Task.Run(() => ups.Driver.RunInstantCommandAsync("beeper.toggle", null, CancellationToken.None).AsTask()))
            .ToArray();
        await Task.WhenAll(toggles);
        await clock;
        await ups.SettleAsync();

        Assert.IsTrue(toggles.All(t => t.Result == CommandOutcome.Success));
        Assert.AreEqual("enabled", ups.Value("ups.beeper.status"));
        long last = 0;
        while (subscription.Changes.TryRead(out var snapshot))
        {
            Assert.IsGreaterThan(last, snapshot.Version);
            last = snapshot.Version;
        }
    }
}
