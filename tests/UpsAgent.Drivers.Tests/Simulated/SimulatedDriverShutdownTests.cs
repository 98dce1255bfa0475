using UpsAgent.Core.Commands;
using UpsAgent.Drivers.Simulated;

namespace UpsAgent.Drivers.Tests.Simulated;

[TestClass]
public sealed class SimulatedDriverShutdownTests
{
    // On battery with short delays; mains return at 10 s and stay.
    private const string PowerReturnsAt10 =
        "ups.status: OB DISCHRG\noutput.voltage: 230\nups.delay.shutdown: 2\nups.delay.start: 3\nTIMER 10\nups.status: OL CHRG\nTIMER 100\n";

    [TestMethod]
    public async Task Shutdown_return_with_mains_turns_off_after_the_shutdown_delay_and_back_on_after_the_start_delay()
    {
        await using DriverHarness ups = await DriverHarness.StartAsync(SimulatedDevices.Online, mode: null);

        Assert.AreEqual(CommandOutcome.Success, await ups.CommandAsync("shutdown.return"));
        Assert.AreEqual("20", ups.Value("ups.timer.shutdown"));
        Assert.AreEqual("-1", ups.Value("ups.timer.start"));

        await ups.AdvanceAsync(19);
        Assert.AreEqual("1", ups.Value("ups.timer.shutdown"));
        Assert.AreEqual("OL CHRG", ups.Status);

        await ups.AdvanceAsync(1);
        Assert.AreEqual("OL CHRG OFF", ups.Status);
        Assert.AreEqual("0", ups.Value("output.voltage"));
        Assert.AreEqual("-1", ups.Value("ups.timer.shutdown"));
        Assert.AreEqual("30", ups.Value("ups.timer.start"));

        await ups.AdvanceAsync(29);
        Assert.AreEqual("1", ups.Value("ups.timer.start"));
        Assert.AreEqual("OL CHRG OFF", ups.Status);

        await ups.AdvanceAsync(1);
        Assert.AreEqual("OL CHRG", ups.Status);
        Assert.AreEqual("230.0", ups.Value("output.voltage"));
        Assert.AreEqual("-1", ups.Value("ups.timer.start"));
    }

    [TestMethod]
    public async Task Shutdown_return_on_battery_waits_for_mains_before_the_start_delay()
    {
        await using DriverHarness ups = await DriverHarness.StartAsync(PowerReturnsAt10);

        await ups.CommandAsync("shutdown.return");
        await ups.AdvanceAsync(2);
        Assert.AreEqual("OB DISCHRG OFF", ups.Status);
        Assert.AreEqual("-1", ups.Value("ups.timer.start"));

        await ups.AdvanceAsync(7);
        Assert.AreEqual("OB DISCHRG OFF", ups.Status);
        Assert.AreEqual("-1", ups.Value("ups.timer.start"));

        await ups.AdvanceAsync(1);
        Assert.AreEqual("OL CHRG OFF", ups.Status);
        Assert.AreEqual("3", ups.Value("ups.timer.start"));

        await ups.AdvanceAsync(3);
        Assert.AreEqual("OL CHRG", ups.Status);
        Assert.AreEqual("230", ups.Value("output.voltage"));
    }

    [TestMethod]
    public async Task Mains_lost_again_during_the_start_delay_waits_again()
    {
        await using DriverHarness ups = await DriverHarness.StartAsync(
            "ups.status: OL\nups.delay.shutdown: 0\nups.delay.start: 5\nTIMER 3\nups.status: OB\nTIMER 4\nups.status: OL\nTIMER 100\n");

        await ups.CommandAsync("shutdown.return");
        Assert.AreEqual("OL OFF", ups.Status);
        Assert.AreEqual("5", ups.Value("ups.timer.start"));

        await ups.AdvanceAsync(3);
        Assert.AreEqual("OB OFF", ups.Status);
        Assert.AreEqual("-1", ups.Value("ups.timer.start"));

        await ups.AdvanceAsync(4);
        Assert.AreEqual("5", ups.Value("ups.timer.start"));
        await ups.AdvanceAsync(5);
        Assert.AreEqual("OL", ups.Status);
    }

    [TestMethod]
    public async Task Outage_loop_with_shutdown_return_at_low_battery_comes_back_after_mains_return()
    {
        await using DriverHarness ups = await DriverHarness.StartAsync(SimulatedDevices.Outage, SequenceMode.Loop);
        await ups.AdvanceAsync(25);
        Assert.AreEqual("OB LB DISCHRG", ups.Status);

        await ups.CommandAsync("shutdown.return");
        await ups.AdvanceAsync(5);
        Assert.AreEqual("OL CHRG", ups.Status);
        Assert.AreEqual("15", ups.Value("ups.timer.shutdown"));

        await ups.AdvanceAsync(15);
        Assert.AreEqual("OB DISCHRG OFF", ups.Status);
        Assert.AreEqual("-1", ups.Value("ups.timer.start"));
    }

    [TestMethod]
    public async Task Shutdown_stayoff_stays_off_with_mains_present()
    {
        await using DriverHarness ups = await DriverHarness.StartAsync(SimulatedDevices.Online, mode: null);

        Assert.AreEqual(CommandOutcome.Success, await ups.CommandAsync("shutdown.stayoff"));
        await ups.AdvanceAsync(20);
        Assert.AreEqual("OL CHRG OFF", ups.Status);
        await ups.AdvanceAsync(300);
        Assert.AreEqual("OL CHRG OFF", ups.Status);
        Assert.AreEqual("-1", ups.Value("ups.timer.start"));
    }

    [TestMethod]
    public async Task Shutdown_stop_cancels_a_pending_shutdown()
    {
        await using DriverHarness ups = await DriverHarness.StartAsync(SimulatedDevices.Online, mode: null);
        await ups.CommandAsync("shutdown.return");
        await ups.AdvanceAsync(5);
        Assert.AreEqual("15", ups.Value("ups.timer.shutdown"));

        Assert.AreEqual(CommandOutcome.Success, await ups.CommandAsync("shutdown.stop"));

        Assert.AreEqual("-1", ups.Value("ups.timer.shutdown"));
        await ups.AdvanceAsync(60);
        Assert.AreEqual("OL CHRG", ups.Status);
    }

    [TestMethod]
    public async Task Shutdown_stop_leaves_an_output_that_is_already_off_alone()
    {
        await using DriverHarness ups = await DriverHarness.StartAsync(SimulatedDevices.Online, mode: null);
        await ups.CommandAsync("load.off");

        Assert.AreEqual(CommandOutcome.Success, await ups.CommandAsync("shutdown.stop"));

        Assert.AreEqual("OL CHRG OFF", ups.Status);
    }

    [TestMethod]
    public async Task Load_on_cancels_a_pending_shutdown()
    {
        await using DriverHarness ups = await DriverHarness.StartAsync(SimulatedDevices.Online, mode: null);
        await ups.CommandAsync("shutdown.stayoff");

        await ups.CommandAsync("load.on");
        await ups.AdvanceAsync(30);

        Assert.AreEqual("OL CHRG", ups.Status);
        Assert.AreEqual("-1", ups.Value("ups.timer.shutdown"));
    }

    [TestMethod]
    public async Task Shutdown_return_with_the_output_already_off_starts_the_return()
    {
        await using DriverHarness ups = await DriverHarness.StartAsync(SimulatedDevices.Online, mode: null);
        await ups.CommandAsync("load.off");

        await ups.CommandAsync("shutdown.return");

        Assert.AreEqual("-1", ups.Value("ups.timer.shutdown"));
        Assert.AreEqual("30", ups.Value("ups.timer.start"));
        await ups.AdvanceAsync(30);
        Assert.AreEqual("OL CHRG", ups.Status);
    }

    [TestMethod]
    public async Task Shutdown_timeline_follows_the_speed_factor()
    {
        await using DriverHarness ups = await DriverHarness.StartAsync(SimulatedDevices.Online, mode: null, speed: 4);
        await ups.CommandAsync("shutdown.return");

        await ups.AdvanceAsync(4.75, step: 0.25);
        Assert.AreEqual("1", ups.Value("ups.timer.shutdown"));
        await ups.AdvanceAsync(0.25, step: 0.25);
        Assert.AreEqual("OL CHRG OFF", ups.Status);
        await ups.AdvanceAsync(7.5, step: 0.25);
        Assert.AreEqual("OL CHRG", ups.Status);
    }
}
