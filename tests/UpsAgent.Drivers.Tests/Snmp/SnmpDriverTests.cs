using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using UpsAgent.Core.State;
using UpsAgent.Drivers.Snmp;
using UpsAgent.Protocols.Snmp;
using UpsAgent.TestKit.Timing;

namespace UpsAgent.Drivers.Tests.Snmp;

[TestClass]
public sealed class SnmpDriverTests
{
    private static readonly SnmpClientOptions Quick = new() { Timeout = TimeSpan.FromMilliseconds(30), Retries = 1 };

    [TestMethod]
    public async Task Auto_reads_a_ups_mib_card_in_nut_units()
    {
        await using var run = await DriverRun.StartAsync(FakeCards.Ietf());

        Assert.AreEqual(UpsDataState.Fresh, run.State.DataState);
        Assert.AreEqual("ietf", run.Value("driver.parameter.mibs"));
        Assert.AreEqual("snmp", run.Value("driver.name"));
        Assert.AreEqual("OL", run.Value("ups.status"));
        Assert.AreEqual("2520", run.Value("battery.runtime"));
        Assert.AreEqual("85", run.Value("battery.charge"));
        Assert.AreEqual("54.50", run.Value("battery.voltage"));
        Assert.AreEqual("230", run.Value("input.voltage"));
        Assert.AreEqual("SmartOnline 1500", run.Value("device.model"));
        Assert.AreEqual("ups", run.Value("device.type"));
        Assert.IsEmpty(run.State.Commands);
    }

    [TestMethod]
    public async Task Auto_reads_an_apc_card_by_its_sys_object_id()
    {
        await using var run = await DriverRun.StartAsync(FakeCards.Apc());

        Assert.AreEqual("apc", run.Value("driver.parameter.mibs"));
        Assert.AreEqual("OL", run.Value("ups.status"));
        Assert.AreEqual("2520", run.Value("battery.runtime"));
        Assert.AreEqual("230.10", run.Value("input.voltage"));
        Assert.AreEqual("APC", run.Value("ups.mfr"));
        Assert.AreEqual("Smart-UPS 1500", run.Value("ups.model"));
    }

    [TestMethod]
    public async Task Auto_probes_model_objects_when_the_sys_object_id_is_unknown()
    {
        FakeSnmpCard card = FakeCards.Apc(sysObjectId: "1.3.6.1.4.1.99999.1");

        await using var run = await DriverRun.StartAsync(card);

        Assert.AreEqual("apc", run.Value("driver.parameter.mibs"));
    }

    [TestMethod]
    public async Task A_forced_mib_the_card_lacks_publishes_nothing()
    {
        await using var run = await DriverRun.StartAsync(FakeCards.Apc(), SnmpMibChoice.Ietf);

        Assert.AreEqual(UpsDataState.Waiting, run.State.DataState);
        Assert.IsNull(run.Driver.Mapping);
    }

    [TestMethod]
    public async Task Data_goes_stale_when_the_card_is_silent_and_fresh_when_it_answers()
    {
        FakeSnmpCard card = FakeCards.Ietf();
        await using var run = await DriverRun.StartAsync(card);

        card.Silent = true;
        await run.PollAsync();
        Assert.AreEqual(UpsDataState.Stale, run.State.DataState);
        Assert.AreEqual("OL", run.Value("ups.status"), "stale data is kept, only marked");

        card.Silent = false;
        card.Set(FakeCards.Ups + "4.1.0", 5).Set(FakeCards.Ups + "2.1.0", 3).Set(FakeCards.Ups + "2.3.0", 4);
        await run.PollAsync();
        Assert.AreEqual(UpsDataState.Fresh, run.State.DataState);
        Assert.AreEqual("OB LB", run.Value("ups.status"));
        Assert.AreEqual("240", run.Value("battery.runtime"));
    }

    [TestMethod]
    public async Task A_card_silent_from_the_start_leaves_the_ups_waiting()
    {
        FakeSnmpCard card = FakeCards.Ietf();
        card.Silent = true;
        await using var run = await DriverRun.StartAsync(card);

        Assert.AreEqual(UpsDataState.Waiting, run.State.DataState);

        card.Silent = false;
        await run.PollAsync();
        Assert.AreEqual(UpsDataState.Fresh, run.State.DataState);
    }

    [TestMethod]
    public async Task Objects_a_v1_card_lacks_are_not_asked_for_again_on_every_poll()
    {
        FakeSnmpCard card = FakeCards.Ietf();
        await using var run = await DriverRun.StartAsync(card);
        int before = card.Requests;

        await run.PollAsync();

        // The card has 32 of the table's objects: two GETs of 16, with no noSuchName round trips.
        Assert.AreEqual(2, card.Requests - before);
        Assert.IsTrue(card.Received.TakeLast(2).All(p => p.VarBinds.Count == 16));
    }

    [TestMethod]
    public async Task Values_that_disappear_are_removed_and_changes_published()
    {
        FakeSnmpCard card = FakeCards.Ietf();
        await using var run = await DriverRun.StartAsync(card);

        card.Remove(FakeCards.Ups + "2.7.0");
        card.Set(FakeCards.Ups + "2.4.0", 60);
        await run.PollAsync();

        Assert.IsNull(run.Value("battery.temperature"));
        Assert.AreEqual("60", run.Value("battery.charge"));
    }

    [TestMethod]
    public async Task Stopping_marks_the_ups_disconnected()
    {
        var run = await DriverRun.StartAsync(FakeCards.Ietf());

        await run.DisposeAsync();

        Assert.AreEqual(UpsDataState.NotConnected, run.State.DataState);
        Assert.IsTrue(run.Transport.Disposed);
    }

    /// <summary>A driver polling a fake card on a fake clock; one pending clock delay means it waits for its next poll.</summary>
    private sealed class DriverRun : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _run;
        private readonly FakeClock _clock = new();
        private readonly UpsStateStore _store;

        private DriverRun(FakeSnmpCard card, SnmpMibChoice mibs)
        {
            _store = new UpsStateStore("card", "SNMP card", _clock);
            Transport = new FakeSnmpTransport(card);
            Options = new SnmpDriverOptions { Host = "192.0.2.10", Mibs = mibs, Client = Quick };
            Driver = new SnmpDriver(_store.CreateWriter(), Options, _clock, NullLogger.Instance,
                _ => ValueTask.FromResult<ISnmpTransport>(Transport), () => new CommunityMessageModel(SnmpVersion.V1, "public"));
            _run = Driver.RunAsync(_stop.Token);
        }

        public FakeSnmpTransport Transport { get; }

        public SnmpDriverOptions Options { get; }

        public SnmpDriver Driver { get; }

        public UpsState State => _store.Current;

        public string? Value(string name) => State.GetValue(name);

        public static async Task<DriverRun> StartAsync(FakeSnmpCard card, SnmpMibChoice mibs = SnmpMibChoice.Auto)
        {
            var run = new DriverRun(card, mibs);
            await run.SettleAsync();
            return run;
        }

        public async Task PollAsync()
        {
            _clock.Advance(Options.PollInterval);
            await Task.Yield();
            await SettleAsync();
        }

        private async Task SettleAsync()
        {
            var watch = Stopwatch.StartNew();
            while (_clock.PendingDelays != 1 && !_run.IsCompleted)
            {
                if (watch.Elapsed > TimeSpan.FromSeconds(10))
                {
                    throw new TimeoutException("the driver did not finish its poll");
                }

                await Task.Delay(1);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _run;
            _stop.Dispose();
        }
    }
}
