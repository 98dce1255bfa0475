using System.Collections.Immutable;
using UpsAgent.Core.State;
using UpsAgent.Shutdown.Policy;

namespace UpsAgent.Shutdown.Tests.Policy;

[TestClass]
public sealed class ShutdownPolicyTests
{
    private static readonly UpsStatus OL = UpsStatus.OnLine;
    private static readonly UpsStatus OB = UpsStatus.OnBattery | UpsStatus.Discharging;
    private static readonly UpsStatus OBLB = OB | UpsStatus.LowBattery;

    private static ShutdownSettings Settings(MonitorRole role = MonitorRole.Primary, TimeSpan? grace = null) => new()
    {
        Supplies = [new SupplySettings("ups", 1, role)],
        GracePeriod = grace ?? TimeSpan.FromSeconds(5),
        HostSync = TimeSpan.FromSeconds(15),
        DeadTime = TimeSpan.FromSeconds(15),
    };

    private static SupplyReading Reading(UpsStatus status, double t, double? charge = 100, double? runtime = 1800, string name = "ups") =>
        new(name, status, charge, runtime, TimeSpan.FromSeconds(t));

    /// <summary>Feeds (time, status) steps once per second and returns when (if ever) a shutdown was decided.</summary>
    private static ShutdownDecision? Run(ShutdownSettings settings, params (double At, UpsStatus Status)[] steps)
    {
        PolicyState state = PolicyState.Initial;
        ShutdownDecision? decision = null;
        double end = steps[^1].At;
        for (double t = 0; t <= end; t += 1)
        {
            UpsStatus status = steps.Last(s => s.At <= t).Status;
            PolicyOutcome outcome = ShutdownPolicy.Evaluate(settings, state, [Reading(status, t)], TimeSpan.FromSeconds(t));
            state = outcome.State;
            if (outcome.NewDecision is not null)
            {
                Assert.IsNull(decision, "decided twice");
                decision = outcome.NewDecision;
            }
        }

        return decision;
    }

    [TestMethod]
    public void On_line_never_shuts_down() =>
        Assert.IsNull(Run(Settings(), (0, OL), (600, OL)));

    [TestMethod]
    public void Primary_shuts_down_on_low_battery_after_the_grace_period_and_sets_fsd()
    {
        ShutdownDecision? d = Run(Settings(), (0, OL), (10, OB), (20, OBLB), (40, OBLB));
        Assert.IsNotNull(d);
        Assert.AreEqual(ShutdownReason.LowBattery, d.Reason);
        Assert.AreEqual(TimeSpan.FromSeconds(20), d.DecidedAt);
        CollectionAssert.AreEqual(new[] { "ups" }, d.SetFsdOn.ToArray());
    }

    [TestMethod]
    public void A_blip_shorter_than_the_grace_period_never_shuts_down_even_with_low_battery() =>
        Assert.IsNull(Run(Settings(grace: TimeSpan.FromSeconds(10)), (0, OL), (5, OBLB), (12, OL), (60, OL)));

    [TestMethod]
    public void Fsd_is_obeyed_at_once_without_grace()
    {
        ShutdownDecision? d = Run(Settings(MonitorRole.Secondary), (0, OL), (3, OL | UpsStatus.ForcedShutdown), (5, OL));
        Assert.AreEqual(ShutdownReason.ForcedShutdown, d!.Reason);
        Assert.AreEqual(TimeSpan.FromSeconds(3), d.DecidedAt);
        Assert.AreEqual(0, d.SetFsdOn.Length, "a secondary sets no FSD");
    }

    [TestMethod]
    public void Secondary_waits_host_sync_for_the_primary_then_gives_up()
    {
        ShutdownDecision? d = Run(Settings(MonitorRole.Secondary), (0, OB), (10, OBLB), (60, OBLB));
        Assert.AreEqual(ShutdownReason.PrimaryGaveNoFsd, d!.Reason);
        Assert.AreEqual(TimeSpan.FromSeconds(26), d.DecidedAt, "low battery from 10 s, host-sync 15 s: first evaluation past it");
    }

    [TestMethod]
    public void Calibration_is_not_low_battery() =>
        Assert.IsNull(Run(Settings(), (0, OBLB | UpsStatus.Calibrating), (120, OBLB | UpsStatus.Calibrating)));

    [TestMethod]
    public void On_battery_limit_shuts_down_after_three_minutes_as_in_the_seed()
    {
        ShutdownSettings s = Settings() with { OnBatteryLimit = TimeSpan.FromMinutes(3) };
        ShutdownDecision? d = Run(s, (0, OL), (100, OB), (400, OB));
        Assert.AreEqual(ShutdownReason.OnBatteryTooLong, d!.Reason);
        Assert.AreEqual(TimeSpan.FromSeconds(280), d.DecidedAt);
    }

    [TestMethod]
    public void Runtime_and_charge_thresholds_trigger_on_battery_only()
    {
        ShutdownSettings s = Settings() with { RuntimeBelow = TimeSpan.FromSeconds(300), ChargeBelowPercent = 40 };
        PolicyOutcome online = ShutdownPolicy.Evaluate(s, PolicyState.Initial, [Reading(OL, 0, charge: 10, runtime: 100)], TimeSpan.Zero);
        Assert.IsNull(online.NewDecision);

        PolicyState state = ShutdownPolicy.Evaluate(s, PolicyState.Initial, [Reading(OB, 0, runtime: 1000)], TimeSpan.Zero).State;
        PolicyOutcome low = ShutdownPolicy.Evaluate(s, state, [Reading(OB, 10, charge: 90, runtime: 299)], TimeSpan.FromSeconds(10));
        Assert.AreEqual(ShutdownReason.RuntimeBelowThreshold, low.NewDecision!.Reason);
        StringAssert.Contains(low.NewDecision.Detail, "299");

        PolicyOutcome charge = ShutdownPolicy.Evaluate(s, state, [Reading(OB, 10, charge: 39, runtime: 1000)], TimeSpan.FromSeconds(10));
        Assert.AreEqual(ShutdownReason.ChargeBelowThreshold, charge.NewDecision!.Reason);
    }

    [TestMethod]
    public void A_ups_that_goes_silent_on_battery_counts_as_critical_after_dead_time()
    {
        ShutdownSettings s = Settings();
        PolicyState state = PolicyState.Initial;
        state = ShutdownPolicy.Evaluate(s, state, [Reading(OB, 0)], TimeSpan.Zero).State;
        state = ShutdownPolicy.Evaluate(s, state, [Reading(OB, 10)], TimeSpan.FromSeconds(10)).State;
        // Last heard at 10 s; dead-time 15 s.
        PolicyOutcome alive = ShutdownPolicy.Evaluate(s, state, [Reading(OB, 10)], TimeSpan.FromSeconds(25));
        Assert.IsNull(alive.NewDecision);
        PolicyOutcome dead = ShutdownPolicy.Evaluate(s, alive.State, [Reading(OB, 10)], TimeSpan.FromSeconds(26));
        Assert.AreEqual(ShutdownReason.DeadOnBattery, dead.NewDecision!.Reason);
    }

    [TestMethod]
    public void A_ups_that_goes_silent_on_line_is_not_critical()
    {
        ShutdownSettings s = Settings();
        PolicyState state = ShutdownPolicy.Evaluate(s, PolicyState.Initial, [Reading(OL, 0)], TimeSpan.Zero).State;
        Assert.IsNull(ShutdownPolicy.Evaluate(s, state, [Reading(OL, 0)], TimeSpan.FromSeconds(100)).NewDecision);
    }

    [TestMethod]
    public void A_ups_never_heard_from_counts_as_healthy()
    {
        var never = new SupplyReading("ups", UpsStatus.None, null, null, null);
        PolicyOutcome o = ShutdownPolicy.Evaluate(Settings(), PolicyState.Initial, [never], TimeSpan.FromSeconds(100));
        Assert.IsNull(o.NewDecision);
        Assert.AreEqual(1, o.HealthyPowerValue);
    }

    [TestMethod]
    public void Min_supplies_keeps_a_host_with_two_feeds_up_until_both_are_critical()
    {
        ShutdownSettings s = new()
        {
            Supplies = [new SupplySettings("a", 1, MonitorRole.Primary), new SupplySettings("b", 1, MonitorRole.Secondary)],
            MinSupplies = 1,
            GracePeriod = TimeSpan.Zero,
        };
        PolicyState state = PolicyState.Initial;
        PolicyOutcome one = ShutdownPolicy.Evaluate(s, state, [Reading(OBLB, 0, name: "a"), Reading(OL, 0, name: "b")], TimeSpan.Zero);
        Assert.IsNull(one.NewDecision);
        Assert.AreEqual(1, one.HealthyPowerValue);
        PolicyOutcome both = ShutdownPolicy.Evaluate(s, one.State, [Reading(OBLB, 1, name: "a"), Reading(OL | UpsStatus.ForcedShutdown, 1, name: "b")], TimeSpan.FromSeconds(1));
        Assert.AreEqual(ShutdownReason.NotEnoughSupplies, both.NewDecision!.Reason);
        CollectionAssert.AreEqual(new[] { "a" }, both.NewDecision.SetFsdOn.ToArray());
    }

    [TestMethod]
    public void Power_value_zero_monitors_without_ever_shutting_down()
    {
        ShutdownSettings s = Settings() with { Supplies = [new SupplySettings("ups", 0, MonitorRole.Secondary)], MinSupplies = 0 };
        Assert.IsNull(Run(s, (0, OL | UpsStatus.ForcedShutdown), (10, OBLB)));
    }

    [TestMethod]
    public void The_decision_is_latched_and_taken_once()
    {
        ShutdownSettings s = Settings(grace: TimeSpan.Zero);
        PolicyOutcome first = ShutdownPolicy.Evaluate(s, PolicyState.Initial, [Reading(OBLB, 0)], TimeSpan.Zero);
        Assert.IsNotNull(first.NewDecision);
        PolicyOutcome again = ShutdownPolicy.Evaluate(s, first.State, [Reading(OBLB, 1)], TimeSpan.FromSeconds(1));
        Assert.IsNull(again.NewDecision);
        Assert.AreSame(first.NewDecision, again.State.Decision);
    }

    [TestMethod]
    [DataRow(2, 1, "min-supplies 2")]
    [DataRow(1, -1, "negative")]
    public void Impossible_supply_settings_are_reported(int minSupplies, int powerValue, string expected)
    {
        ShutdownSettings s = new() { Supplies = [new SupplySettings("ups", powerValue, MonitorRole.Primary)], MinSupplies = minSupplies };
        Assert.IsTrue(s.Problems().Any(p => p.Contains(expected, StringComparison.Ordinal)), string.Join("; ", s.Problems()));
    }

    [TestMethod]
    public void Impossible_thresholds_are_reported()
    {
        ShutdownSettings s = Settings() with { ChargeBelowPercent = 150, RuntimeBelow = TimeSpan.Zero, OnBatteryLimit = TimeSpan.FromSeconds(1) };
        IReadOnlyList<string> problems = s.Problems();
        Assert.AreEqual(3, problems.Count, string.Join("; ", problems));
        Assert.AreEqual(1, new ShutdownSettings().Problems().Count, "no UPS monitored");
        Assert.AreEqual(0, Settings().Problems().Count);
    }
}
