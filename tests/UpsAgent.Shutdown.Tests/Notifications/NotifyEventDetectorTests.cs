using UpsAgent.Core.State;
using UpsAgent.Shutdown.Notifications;

namespace UpsAgent.Shutdown.Tests.Notifications;

[TestClass]
public sealed class NotifyEventDetectorTests
{
    private static readonly TimeSpan Rb = TimeSpan.FromHours(12);
    private static readonly TimeSpan NoComm = TimeSpan.FromMinutes(5);

    private static List<NotifyType> Feed(params (double At, bool Reachable, UpsStatus Status)[] polls)
    {
        var all = new List<NotifyType>();
        DetectorMemory memory = DetectorMemory.Initial;
        foreach ((double at, bool reachable, UpsStatus status) in polls)
        {
            (memory, List<NotifyType> events) = NotifyEventDetector.Detect(memory, new SupplyObservation(reachable, status), TimeSpan.FromSeconds(at), Rb, NoComm);
            all.AddRange(events);
        }

        return all;
    }

    [TestMethod]
    public void The_first_poll_on_line_says_nothing_and_an_outage_says_onbatt_lowbatt_online()
    {
        CollectionAssert.AreEqual(
            new[] { NotifyType.OnBattery, NotifyType.LowBattery, NotifyType.Online },
            Feed((0, true, UpsStatus.OnLine), (1, true, UpsStatus.OnBattery), (2, true, UpsStatus.OnBattery | UpsStatus.LowBattery), (3, true, UpsStatus.OnLine)));
    }

    [TestMethod]
    public void Starting_on_battery_announces_it() =>
        CollectionAssert.AreEqual(new[] { NotifyType.OnBattery }, Feed((0, true, UpsStatus.OnBattery)));

    [TestMethod]
    public void Communication_loss_says_commbad_once_then_nocomm_every_interval_then_commok()
    {
        CollectionAssert.AreEqual(
            new[] { NotifyType.CommBad, NotifyType.NoComm, NotifyType.NoComm, NotifyType.CommOk },
            Feed((0, true, UpsStatus.OnLine), (1, false, 0), (100, false, 0), (301, false, 0), (500, false, 0), (601, false, 0), (700, true, UpsStatus.OnLine)));
    }

    [TestMethod]
    public void A_ups_never_reached_says_nocomm_but_not_commbad_or_commok() =>
        CollectionAssert.AreEqual(new[] { NotifyType.NoComm }, Feed((0, false, 0), (300, false, 0), (301, true, UpsStatus.OnLine)));

    [TestMethod]
    public void Replace_battery_repeats_at_most_every_interval() =>
        CollectionAssert.AreEqual(
            new[] { NotifyType.ReplaceBattery, NotifyType.ReplaceBattery },
            Feed((0, true, UpsStatus.OnLine | UpsStatus.ReplaceBattery), (3600, true, UpsStatus.OnLine | UpsStatus.ReplaceBattery), (43200, true, UpsStatus.OnLine | UpsStatus.ReplaceBattery)));

    [TestMethod]
    public void Paired_states_announce_start_and_end() =>
        CollectionAssert.AreEqual(
            new[] { NotifyType.Calibrating, NotifyType.Bypass, NotifyType.NotCalibrating, NotifyType.NotBypass, NotifyType.ForcedShutdown },
            Feed((0, true, UpsStatus.OnLine), (1, true, UpsStatus.OnLine | UpsStatus.Calibrating), (2, true, UpsStatus.OnLine | UpsStatus.Calibrating | UpsStatus.Bypass), (3, true, UpsStatus.OnLine | UpsStatus.Bypass), (4, true, UpsStatus.OnLine), (5, true, UpsStatus.OnLine | UpsStatus.ForcedShutdown)));

    [TestMethod]
    public void A_server_still_waiting_for_its_driver_then_on_line_says_nothing() =>
        CollectionAssert.AreEqual(Array.Empty<NotifyType>(), Feed((0, false, 0), (1, true, UpsStatus.Wait), (2, true, UpsStatus.OnLine), (3, true, UpsStatus.OnLine)));
}
