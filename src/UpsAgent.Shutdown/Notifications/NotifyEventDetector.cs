using UpsAgent.Core.State;

namespace UpsAgent.Shutdown.Notifications;

/// <summary>
/// Turns consecutive observations of one UPS into upsmon's notifications (clients/upsmon.c:
/// ups_on_line, ups_on_batt, ups_low_batt, upsreplbatt, ups_cal, the 2.8.1+ pairs, COMMOK/COMMBAD/
/// NOCOMM). Pure: the caller keeps <see cref="DetectorMemory"/> between calls.
/// </summary>
public static class NotifyEventDetector
{
    private static readonly (UpsStatus Flag, NotifyType On, NotifyType? Off)[] Pairs =
    [
        (UpsStatus.LowBattery, NotifyType.LowBattery, null),
        (UpsStatus.ForcedShutdown, NotifyType.ForcedShutdown, null),
        (UpsStatus.Calibrating, NotifyType.Calibrating, NotifyType.NotCalibrating),
        (UpsStatus.Off, NotifyType.Off, NotifyType.NotOff),
        (UpsStatus.Bypass, NotifyType.Bypass, NotifyType.NotBypass),
        (UpsStatus.Eco, NotifyType.Eco, NotifyType.NotEco),
        (UpsStatus.Alarm, NotifyType.Alarm, NotifyType.NotAlarm),
        (UpsStatus.Overload, NotifyType.Overload, NotifyType.NotOverload),
        (UpsStatus.Trim, NotifyType.Trim, NotifyType.NotTrim),
        (UpsStatus.Boost, NotifyType.Boost, NotifyType.NotBoost),
        (UpsStatus.Other, NotifyType.Other, NotifyType.NotOther),
    ];

    /// <param name="replaceBatteryInterval">upsmon's RBWARNTIME (12 h).</param>
    /// <param name="noCommInterval">upsmon's NOCOMMWARNTIME (5 min).</param>
    public static (DetectorMemory Memory, List<NotifyType> Events) Detect(
        DetectorMemory memory,
        SupplyObservation current,
        TimeSpan now,
        TimeSpan replaceBatteryInterval,
        TimeSpan noCommInterval)
    {
        var events = new List<NotifyType>();
        if (!current.Reachable)
        {
            TimeSpan? lostSince = memory.UnreachableSince ?? now;
            TimeSpan? lastNoComm = memory.LastNoComm;
            if (memory.EverReachable && memory.UnreachableSince is null)
            {
                events.Add(NotifyType.CommBad);
            }

            // NOCOMM once the UPS has been unreachable for the interval, then again every interval.
            if (now - (lastNoComm ?? lostSince.Value) >= noCommInterval)
            {
                events.Add(NotifyType.NoComm);
                lastNoComm = now;
            }

            return (memory with { UnreachableSince = lostSince, LastNoComm = lastNoComm }, events);
        }

        bool first = memory.Previous is null;
        if (memory.UnreachableSince is not null && memory.EverReachable)
        {
            events.Add(NotifyType.CommOk);
        }

        UpsStatus before = memory.Previous ?? UpsStatus.None;
        UpsStatus now_ = current.Status;
        bool Rose(UpsStatus flag) => (now_ & flag) != 0 && (before & flag) == 0;
        bool Fell(UpsStatus flag) => (now_ & flag) == 0 && (before & flag) != 0;

        // upsmon announces ONLINE only when mains return after it saw the UPS on battery (its
        // linestate), never for the first poll or after WAIT; ONBATT always.
        if (!first && Rose(UpsStatus.OnLine) && (before & UpsStatus.OnBattery) != 0)
        {
            events.Add(NotifyType.Online);
        }

        if (Rose(UpsStatus.OnBattery))
        {
            events.Add(NotifyType.OnBattery);
        }

        foreach ((UpsStatus flag, NotifyType on, NotifyType? off) in Pairs)
        {
            if (Rose(flag))
            {
                events.Add(on);
            }
            else if (off is { } offType && Fell(flag))
            {
                events.Add(offType);
            }
        }

        TimeSpan? lastReplace = memory.LastReplaceBattery;
        if ((now_ & UpsStatus.ReplaceBattery) != 0 && (lastReplace is null || now - lastReplace.Value >= replaceBatteryInterval))
        {
            events.Add(NotifyType.ReplaceBattery);
            lastReplace = now;
        }

        return (new DetectorMemory(now_, true, null, null, lastReplace), events);
    }
}
