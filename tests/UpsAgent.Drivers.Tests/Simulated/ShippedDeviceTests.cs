using UpsAgent.Drivers.Simulated;

namespace UpsAgent.Drivers.Tests.Simulated;

[TestClass]
public sealed class ShippedDeviceTests
{
    // (seconds since start, ups.status) at each point where the file stops for a TIMER, plus the end.
    private static List<(long Seconds, string Status)> StatusTimeline(DeviceScript script)
    {
        var timeline = new List<(long, string)>();
        string status = "";
        long at = 0;
        foreach (DeviceStep step in script.Steps)
        {
            if (step is SetVariableStep { Name: "ups.status" } set)
            {
                status = set.Value;
            }
            else if (step is TimerStep timer)
            {
                timeline.Add((at, status));
                at += timer.Seconds;
            }
        }

        timeline.Add((at, status));
        return timeline;
    }

    [TestMethod]
    public void Online_dev_is_a_static_dump_on_line_and_charging()
    {
        DeviceScript script = SimulatedDevices.Online.Parse();

        Assert.IsFalse(script.HasTimers);
        var values = script.Steps.OfType<SetVariableStep>().ToDictionary(s => s.Name, s => s.Value);
        Assert.AreEqual("OL CHRG", values["ups.status"]);
        Assert.AreEqual("100", values["battery.charge"]);
        Assert.AreEqual("enabled", values["ups.beeper.status"]);
        Assert.AreEqual("ups", values["device.type"]);
        Assert.AreEqual(SequenceMode.Once, SimulatedDevices.Online.DefaultMode);
        Assert.IsFalse(values.Keys.Any(k => k.StartsWith("driver.", StringComparison.Ordinal)));
    }

    [TestMethod]
    public void Outage_seq_goes_from_OL_CHRG_to_OB_DISCHRG_to_OB_LB_DISCHRG_in_30_seconds()
    {
        DeviceScript script = SimulatedDevices.Outage.Parse();

        List<(long Seconds, string Status)> timeline = StatusTimeline(script);

        CollectionAssert.AreEqual(
            new[]
            {
                (0L, "OL CHRG"), (5L, "OB DISCHRG"), (10L, "OB DISCHRG"), (15L, "OB DISCHRG"),
                (20L, "OB DISCHRG"), (25L, "OB LB DISCHRG"), (30L, "OB LB DISCHRG"),
            },
            timeline);
        Assert.AreEqual(30L, script.TotalTimerSeconds);
        Assert.AreEqual(SequenceMode.Loop, SimulatedDevices.Outage.DefaultMode);
    }

    [TestMethod]
    public void Outage_battery_charge_and_runtime_only_fall_and_end_below_the_low_thresholds()
    {
        DeviceScript script = SimulatedDevices.Outage.Parse();
        var sets = script.Steps.OfType<SetVariableStep>().ToList();

        List<int> charges = sets.Where(s => s.Name == "battery.charge").Select(s => int.Parse(s.Value)).ToList();
        List<int> runtimes = sets.Where(s => s.Name == "battery.runtime").Select(s => int.Parse(s.Value)).ToList();

        CollectionAssert.AreEqual(charges.OrderDescending().ToList(), charges);
        CollectionAssert.AreEqual(runtimes.OrderDescending().ToList(), runtimes);
        Assert.IsLessThan(10, charges[^1]);
        Assert.IsLessThan(180, runtimes[^1]);
        Assert.AreEqual("0.0", sets.Last(s => s.Name == "input.voltage").Value);
    }

    [TestMethod]
    public void Outage_starts_from_the_online_dump()
    {
        var online = SimulatedDevices.Online.Parse().Steps.OfType<SetVariableStep>().Select(s => (s.Name, s.Value)).ToList();
        var outageStart = SimulatedDevices.Outage.Parse().Steps.TakeWhile(s => s is not TimerStep)
            .OfType<SetVariableStep>().Select(s => (s.Name, s.Value)).ToList();

        CollectionAssert.AreEqual(online, outageStart);
    }

    [TestMethod]
    public void Shipped_files_are_found_by_name_with_or_without_extension()
    {
        Assert.AreEqual(SimulatedDevices.Outage, SimulatedDevices.Find("outage"));
        Assert.AreEqual(SimulatedDevices.Online, SimulatedDevices.Find("ONLINE.dev"));
        Assert.IsNull(SimulatedDevices.Find("nosuch"));
        CollectionAssert.AreEqual(new[] { "online.dev", "outage.seq" }, SimulatedDevices.Names.ToArray());
    }

    [TestMethod]
    public void Embedded_copies_match_the_files_in_hw_devices()
    {
        string? directory = AppContext.BaseDirectory;
        while (directory is not null && !Directory.Exists(Path.Combine(directory, "hw", "devices")))
        {
            directory = Path.GetDirectoryName(directory);
        }

        Assert.IsNotNull(directory, "hw/devices not found above the test output directory");
        foreach (string name in SimulatedDevices.Names)
        {
            string onDisk = File.ReadAllText(Path.Combine(directory, "hw", "devices", name));
            Assert.AreEqual(onDisk, SimulatedDevices.Find(name)!.Text, name);
        }
    }
}
