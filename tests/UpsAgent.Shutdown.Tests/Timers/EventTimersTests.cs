using Microsoft.Extensions.Logging.Abstractions;
using UpsAgent.Shutdown.Notifications;
using UpsAgent.Shutdown.Timers;
using UpsAgent.TestKit.Processes;
using UpsAgent.TestKit.Timing;

namespace UpsAgent.Shutdown.Tests.Timers;

[TestClass]
public sealed class EventTimersTests
{
    private static NotifyEvent Event(NotifyType type, string ups = "ups@host:3493") => new(type, ups, DateTimeOffset.UnixEpoch);

    private static async Task Settle()
    {
        for (int i = 0; i < 20; i++)
        {
            await Task.Delay(2);
        }
    }

    [TestMethod]
    public async Task An_outage_longer_than_the_timer_fires_it_with_the_command_and_a_blip_cancels_it()
    {
        var clock = new FakeClock();
        var processes = new FakeProcessRunner();
        TimerRule[] rules =
        [
            new(NotifyType.OnBattery, "*", TimerAction.StartTimer, "onbatt", TimeSpan.FromSeconds(300), null),
            new(NotifyType.Online, "*", TimerAction.CancelTimer, "onbatt", TimeSpan.Zero, "online-again"),
        ];
        var timers = new EventTimers(rules, "/etc/upsagent/timer.sh", processes, clock, NullLogger.Instance);
        var fired = new List<string>();
        timers.Fired += (name, _) => fired.Add(name);

        timers.OnEvent(Event(NotifyType.OnBattery));
        clock.Advance(TimeSpan.FromSeconds(100));
        timers.OnEvent(Event(NotifyType.OnBattery)); // already running: left alone
        Assert.AreEqual(TimeSpan.FromSeconds(200), timers.Armed.Single().DueIn);
        timers.OnEvent(Event(NotifyType.Online));
        clock.Advance(TimeSpan.FromSeconds(400));
        await Settle();
        Assert.AreEqual(0, fired.Count, "cancelled before it fired");

        timers.OnEvent(Event(NotifyType.Online)); // not running: the command runs instead
        timers.OnEvent(Event(NotifyType.OnBattery));
        clock.Advance(TimeSpan.FromSeconds(300));
        await Settle();
        CollectionAssert.AreEqual(new[] { "online-again", "onbatt" }, fired);
        var last = processes.Started.Last();
        Assert.AreEqual("/etc/upsagent/timer.sh \"$1\"", last.Arguments[1]);
        Assert.AreEqual("onbatt", last.Arguments[3]);
        Assert.AreEqual("ONBATT", last.Environment["NOTIFYTYPE"]);
    }

    [TestMethod]
    public async Task Rules_match_the_ups_or_any_and_execute_runs_at_once()
    {
        var clock = new FakeClock();
        var timers = new EventTimers(
            [new(NotifyType.LowBattery, "ups@other:3493", TimerAction.Execute, null, TimeSpan.Zero, "low-other"),
             new(NotifyType.LowBattery, "*", TimerAction.Execute, null, TimeSpan.Zero, "low-any")],
            null, new FakeProcessRunner(), clock, NullLogger.Instance);
        var fired = new List<string>();
        timers.Fired += (name, _) => fired.Add(name);
        timers.OnEvent(Event(NotifyType.LowBattery));
        await Settle();
        CollectionAssert.AreEqual(new[] { "low-any" }, fired);
    }
}
