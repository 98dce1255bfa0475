using UpsAgent.Core.Names;
using UpsAgent.Core.State;
using UpsAgent.TestKit.Timing;

namespace UpsAgent.Core.Tests.State;

[TestClass]
public sealed class UpsStateStoreTests
{
    private static UpsStateStore NewStore() => new("ups", "test UPS", new FakeClock());

    [TestMethod]
    public void A_new_store_is_waiting_and_shows_wait_as_status()
    {
        UpsStateStore store = NewStore();
        Assert.AreEqual(UpsDataState.Waiting, store.Current.DataState);
        Assert.AreEqual("WAIT", store.Current.StatusText);
    }

    [TestMethod]
    public void The_fsd_latch_shows_in_front_of_wait_before_the_first_data()
    {
        UpsStateStore store = NewStore();
        store.LatchForcedShutdown();
        Assert.AreEqual("FSD WAIT", store.Current.StatusText);
        store.CreateWriter().Publish([new UpsVariable("ups.status", "OB LB")], []);
        Assert.AreEqual("FSD OB LB", store.Current.StatusText);
    }

    [TestMethod]
    public void Only_one_writer_may_be_created()
    {
        UpsStateStore store = NewStore();
        store.CreateWriter();
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => store.CreateWriter());
        StringAssert.Contains(e.Message, "'ups'");
    }

    [TestMethod]
    public void Publish_makes_data_fresh_and_sorted_case_insensitively()
    {
        UpsStateStore store = NewStore();
        UpsStateWriter writer = store.CreateWriter();
        writer.Publish([new UpsVariable("ups.status", "OL"), new UpsVariable("Battery.charge", "90"), new UpsVariable("battery.runtime", "600")], ["load.off", "Beeper.disable"]);
        UpsState s = store.Current;
        Assert.AreEqual(UpsDataState.Fresh, s.DataState);
        CollectionAssert.AreEqual(new[] { "Battery.charge", "battery.runtime", "ups.status" }, s.Variables.Select(v => v.Name).ToArray());
        CollectionAssert.AreEqual(new[] { "Beeper.disable", "load.off" }, s.Commands.ToArray());
        Assert.AreEqual("90", s.GetValue("BATTERY.CHARGE"));
        Assert.IsTrue(s.HasCommand("LOAD.OFF"));
    }

    [TestMethod]
    public void Snapshots_are_immutable_after_later_writes()
    {
        UpsStateStore store = NewStore();
        UpsStateWriter writer = store.CreateWriter();
        writer.Publish([new UpsVariable("ups.status", "OL")], []);
        UpsState before = store.Current;
        writer.SetValue("ups.status", "OB");
        Assert.AreEqual("OL", before.StatusText);
        Assert.AreEqual("OB", store.Current.StatusText);
        Assert.IsTrue(store.Current.Version > before.Version);
    }

    [TestMethod]
    public void Set_values_keeps_flags_of_existing_variables()
    {
        UpsStateStore store = NewStore();
        UpsStateWriter writer = store.CreateWriter();
        writer.Publish([new UpsVariable("ups.id", "a") { Flags = VariableFlags.ReadWrite | VariableFlags.String, MaxLength = 16 }], []);
        writer.SetValue("ups.id", "b");
        UpsVariable v = store.Current.Find("ups.id")!;
        Assert.AreEqual("b", v.Value);
        Assert.AreEqual(16, v.MaxLength);
        Assert.IsTrue(v.IsWritable);
    }

    [TestMethod]
    public void Fsd_latch_prefixes_status_and_stays()
    {
        UpsStateStore store = NewStore();
        UpsStateWriter writer = store.CreateWriter();
        writer.Publish([new UpsVariable(NutNames.UpsStatus, "OB LB")], []);
        store.LatchForcedShutdown();
        writer.SetValue(NutNames.UpsStatus, "OL CHRG");
        Assert.AreEqual("FSD OL CHRG", store.Current.StatusText);
        Assert.IsTrue(store.Current.Status.HasFlag(UpsStatus.ForcedShutdown));
    }

    [TestMethod]
    public void Staleness_is_a_state_and_recovers()
    {
        UpsStateStore store = NewStore();
        UpsStateWriter writer = store.CreateWriter();
        writer.Publish([new UpsVariable(NutNames.UpsStatus, "OL")], []);
        writer.MarkStale();
        Assert.AreEqual(UpsDataState.Stale, store.Current.DataState);
        Assert.IsFalse(store.Current.IsUsable);
        writer.MarkFresh();
        Assert.IsTrue(store.Current.IsUsable);
        writer.MarkDisconnected();
        Assert.AreEqual(UpsDataState.NotConnected, store.Current.DataState);
    }

    [TestMethod]
    public async Task Subscribers_receive_every_change_in_order()
    {
        UpsStateStore store = NewStore();
        UpsStateWriter writer = store.CreateWriter();
        using UpsStateSubscription subscription = store.Subscribe();
        writer.Publish([new UpsVariable(NutNames.UpsStatus, "OL")], []);
        writer.SetValue(NutNames.UpsStatus, "OB");
        writer.SetValue(NutNames.UpsStatus, "OB LB");
        var seen = new List<string>();
        for (int i = 0; i < 3; i++)
        {
            seen.Add((await subscription.Changes.ReadAsync()).StatusText);
        }

        CollectionAssert.AreEqual(new[] { "OL", "OB", "OB LB" }, seen);
    }

    [TestMethod]
    public void A_slow_subscriber_keeps_the_newest_snapshots()
    {
        UpsStateStore store = NewStore();
        UpsStateWriter writer = store.CreateWriter();
        using UpsStateSubscription subscription = store.Subscribe(capacity: 2);
        for (int i = 0; i < 10; i++)
        {
            writer.SetValue("battery.charge", i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        Assert.IsTrue(subscription.Changes.TryRead(out UpsState? first));
        Assert.IsTrue(subscription.Changes.TryRead(out UpsState? second));
        Assert.IsFalse(subscription.Changes.TryRead(out _));
        Assert.AreEqual("8", first!.GetValue("battery.charge"));
        Assert.AreEqual("9", second!.GetValue("battery.charge"));
    }

    [TestMethod]
    public void Unchanged_values_publish_nothing()
    {
        UpsStateStore store = NewStore();
        UpsStateWriter writer = store.CreateWriter();
        writer.Publish([new UpsVariable("battery.charge", "100")], []);
        long version = store.Current.Version;
        writer.SetValue("battery.charge", "100");
        writer.MarkFresh();
        Assert.AreEqual(version, store.Current.Version);
    }

    [TestMethod]
    public async Task Concurrent_readers_always_see_a_consistent_snapshot()
    {
        UpsStateStore store = NewStore();
        UpsStateWriter writer = store.CreateWriter();
        writer.Publish([new UpsVariable("a", "0"), new UpsVariable("b", "0")], []);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        int torn = 0;
        Task reader = Task.Run(() =>
        {
            for (int i = 0; i < 200_000 && !cts.IsCancellationRequested; i++)
            {
                UpsState s = store.Current;
                if (s.GetValue("a") != s.GetValue("b"))
                {
                    Interlocked.Increment(ref torn);
                }
            }
        });
        for (int i = 1; i <= 2_000; i++)
        {
            string v = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            writer.SetValues([new("a", v), new("b", v)]);
        }

        await reader;
        Assert.AreEqual(0, torn);
    }
}
