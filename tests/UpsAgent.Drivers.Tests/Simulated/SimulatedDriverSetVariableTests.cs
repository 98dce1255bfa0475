using UpsAgent.Core.Commands;
using UpsAgent.Drivers.Simulated;

namespace UpsAgent.Drivers.Tests.Simulated;

[TestClass]
public sealed class SimulatedDriverSetVariableTests
{
    [TestMethod]
    [DataRow("ups.id", "rack-b")]
    [DataRow("ups.id", "exactly16chars!!")]
    [DataRow("ups.delay.shutdown", "60")]
    [DataRow("ups.delay.start", "0")]
    [DataRow("battery.charge.low", "25")]
    [DataRow("battery.runtime.low", "300")]
    [DataRow("input.transfer.low", "165")]
    [DataRow("input.transfer.high", "285")]
    [DataRow("input.sensitivity", "high")]
    [DataRow("battery.date", "2026-01-01")]
    [DataRow("UPS.ID", "upper-case name")]
    public async Task Writable_variables_accept_valid_values(string name, string value)
    {
        await using DriverHarness ups = await DriverHarness.StartAsync(SimulatedDevices.Online, mode: null);

        Assert.AreEqual(CommandOutcome.Success, await ups.SetAsync(name, value));

        Assert.AreEqual(value, ups.Value(name));
    }

    [TestMethod]
    [DataRow("ups.id", "this string is longer than sixteen")]
    [DataRow("battery.charge.low", "101")]
    [DataRow("battery.charge.low", "-1")]
    [DataRow("battery.charge.low", "ten")]
    [DataRow("ups.delay.shutdown", "601")]
    [DataRow("battery.runtime.low", "soon")]
    [DataRow("battery.runtime.low", "")]
    [DataRow("input.transfer.low", "1e3")]
    [DataRow("input.sensitivity", "extreme")]
    [DataRow("input.sensitivity", "HIGH")]
    public async Task Invalid_values_are_refused_as_invalid_argument_and_change_nothing(string name, string value)
    {
        await using DriverHarness ups = await DriverHarness.StartAsync(SimulatedDevices.Online, mode: null);
        string? before = ups.Value(name);

        Assert.AreEqual(CommandOutcome.InvalidArgument, await ups.SetAsync(name, value));

        Assert.AreEqual(before, ups.Value(name));
    }

    [TestMethod]
    [DataRow("battery.charge")]
    [DataRow("ups.status")]
    [DataRow("ups.beeper.status")]
    [DataRow("driver.name")]
    [DataRow("device.mfr")]
    [DataRow("ups.timer.shutdown")]
    public async Task Read_only_variables_are_refused_as_failed(string name)
    {
        await using DriverHarness ups = await DriverHarness.StartAsync(SimulatedDevices.Online, mode: null);
        string? before = ups.Value(name);

        Assert.AreEqual(CommandOutcome.Failed, await ups.SetAsync(name, "1"));

        Assert.AreEqual(before, ups.Value(name));
    }

    [TestMethod]
    public async Task Unknown_variable_is_refused_as_unknown()
    {
        await using DriverHarness ups = await DriverHarness.StartAsync(SimulatedDevices.Online, mode: null);

        Assert.AreEqual(CommandOutcome.Unknown, await ups.SetAsync("no.such.var", "1"));

        Assert.IsNull(ups.State.Find("no.such.var"));
    }

    [TestMethod]
    public async Task A_later_sequence_line_overrides_a_set_value_and_flags_stay()
    {
        await using DriverHarness ups = await DriverHarness.StartAsync(
            "battery.charge.low: 10\nTIMER 5\nbattery.charge.low: 20\nTIMER 5\n");

        Assert.AreEqual(CommandOutcome.Success, await ups.SetAsync("battery.charge.low", "15"));
        await ups.AdvanceAsync(4);
        Assert.AreEqual("15", ups.Value("battery.charge.low"));
        await ups.AdvanceAsync(1);
        Assert.AreEqual("20", ups.Value("battery.charge.low"));
        Assert.IsTrue(ups.State.Find("battery.charge.low")!.IsWritable);
    }

    [TestMethod]
    public async Task A_set_value_survives_sequence_steps_that_do_not_name_it()
    {
        await using DriverHarness ups = await DriverHarness.StartAsync(SimulatedDevices.Outage, SequenceMode.Once);

        await ups.SetAsync("ups.id", "rack-b");
        await ups.AdvanceAsync(30);

        Assert.AreEqual("rack-b", ups.Value("ups.id"));
    }

    [TestMethod]
    public async Task Delay_set_by_the_user_is_used_by_the_next_shutdown()
    {
        await using DriverHarness ups = await DriverHarness.StartAsync(SimulatedDevices.Online, mode: null);

        await ups.SetAsync("ups.delay.shutdown", "3");
        await ups.CommandAsync("shutdown.stayoff");

        Assert.AreEqual("3", ups.Value("ups.timer.shutdown"));
        await ups.AdvanceAsync(3);
        Assert.AreEqual("OL CHRG OFF", ups.Status);
    }
}
