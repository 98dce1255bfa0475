using UpsAgent.Core.State;
using UpsAgent.Drivers.Simulated;
using UpsAgent.TestKit.Timing;

namespace UpsAgent.Drivers.Tests.Simulated;

[TestClass]
public sealed class DeviceAliasTests
{
    [TestMethod]
    public async Task Ups_identity_is_mirrored_into_device_variables_as_the_nut_driver_core_does()
    {
        var clock = new FakeClock();
        var store = new UpsStateStore("ups", "", clock);
        var driver = new SimulatedDriver(
            store.CreateWriter(),
            new SimulatedDriverOptions { Definition = new DeviceDefinition("t.dev", "ups.status: OL\nups.mfr: Acme\nups.model: Sim 1500\nups.serial: SIM0001\ndevice.model: Own Model\n") },
            clock,
            Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        Task run = driver.RunAsync(stop.Token);
        for (int i = 0; i < 200 && store.Current.DataState != UpsDataState.Fresh; i++)
        {
            await Task.Delay(5);
        }

        UpsState s = store.Current;
        Assert.AreEqual("Acme", s.GetValue("device.mfr"));
        Assert.AreEqual("Own Model", s.GetValue("device.model"), "a value the file gives wins");
        Assert.AreEqual("SIM0001", s.GetValue("device.serial"));
        Assert.AreEqual("ups", s.GetValue("device.type"));
        await stop.CancelAsync();
        await run;
    }
}
