using UpsAgent.Core.State;
using UpsAgent.Shutdown.Policy;

namespace UpsAgent.Shutdown.Tests.Policy;

/// <summary>
/// Random outages against random settings: a simulated battery drains while on battery and
/// recharges on line; the policy is evaluated every second as the agent does.
/// </summary>
[TestClass]
public sealed class ShutdownPolicyPropertyTests
{
    private const int Cases = 1000;

    private sealed record Step(int Seconds, bool OnBattery);

    private sealed record Scenario(ShutdownSettings Settings, List<Step> Steps, double FullRuntime, double LowBatteryRuntime, double Margin);

    private static Scenario Generate(Random random)
    {
        double grace = random.Next(0, 30);
        double hostSync = random.Next(0, 20);
        double margin = random.Next(10, 120);           // what the shutdown itself needs (hooks + final delay)
        // A UPS whose low-battery point leaves less than grace + host-sync above the margin cannot
        // be protected by any policy; configurations are checked for that at start-up.
        double lowBattery = margin + (2 * (grace + hostSync)) + 2 + random.Next(0, 300); // battery.runtime.low
        double runtimeTrigger = margin + grace + 2 + random.Next(0, 300);
        var settings = new ShutdownSettings
        {
            Supplies = [new SupplySettings("ups", 1, random.Next(2) == 0 ? MonitorRole.Primary : MonitorRole.Secondary)],
            GracePeriod = TimeSpan.FromSeconds(grace),
            HostSync = TimeSpan.FromSeconds(hostSync),
            OnBatteryLimit = random.Next(3) == 0 ? TimeSpan.FromSeconds(grace + random.Next(0, 600)) : null,
            RuntimeBelow = random.Next(2) == 0 ? TimeSpan.FromSeconds(runtimeTrigger) : null,
            ChargeBelowPercent = random.Next(3) == 0 ? random.Next(5, 90) : null,
        };
        var steps = new List<Step>();
        int count = random.Next(1, 8);
        for (int i = 0; i < count; i++)
        {
            steps.Add(new Step(random.Next(0, 3) == 0 ? random.Next(1, (int)grace + 2) : random.Next(1, 1200), random.Next(2) == 0));
        }

        // Start with enough runtime that every trigger has room to fire above the margin.
        double full = Math.Max(lowBattery, runtimeTrigger) + grace + settings.HostSync.TotalSeconds + 60 + random.Next(0, 1800);
        return new Scenario(settings, steps, full, lowBattery, margin);
    }

    [TestMethod]
    public void Random_outages_decide_once_never_for_a_blip_and_always_above_the_safety_margin()
    {
        var random = new Random(20261126);
        int decisions = 0;
        for (int c = 0; c < Cases; c++)
        {
            Scenario s = Generate(random);
            PolicyState state = PolicyState.Initial;
            double runtime = s.FullRuntime;
            int t = 0;
            int decidedCount = 0;
            int outageStart = -1;
            foreach (Step step in s.Steps)
            {
                for (int i = 0; i < step.Seconds; i++, t++)
                {
                    if (step.OnBattery)
                    {
                        outageStart = outageStart < 0 ? t : outageStart;
                        runtime = Math.Max(0, runtime - 1);
                    }
                    else
                    {
                        outageStart = -1;
                        runtime = Math.Min(s.FullRuntime, runtime + 0.5);
                    }

                    UpsStatus status = step.OnBattery ? UpsStatus.OnBattery | UpsStatus.Discharging : UpsStatus.OnLine | UpsStatus.Charging;
                    if (step.OnBattery && runtime < s.LowBatteryRuntime)
                    {
                        status |= UpsStatus.LowBattery;
                    }

                    double charge = 100 * runtime / s.FullRuntime;
                    var reading = new SupplyReading("ups", status, charge, runtime, TimeSpan.FromSeconds(t));
                    PolicyOutcome outcome = ShutdownPolicy.Evaluate(s.Settings, state, [reading], TimeSpan.FromSeconds(t));
                    state = outcome.State;
                    if (step.OnBattery && runtime < s.Margin)
                    {
                        Assert.IsNotNull(state.Decision, $"case {c}: {runtime} s runtime left at {t} s, below the margin {s.Margin} s, and no decision");
                    }

                    if (outcome.NewDecision is null)
                    {
                        continue;
                    }

                    decidedCount++;
                    decisions++;
                    Assert.IsTrue(step.OnBattery, $"case {c}: decided on line at {t} s");
                    double outage = t - outageStart;
                    Assert.IsTrue(outage >= s.Settings.GracePeriod.TotalSeconds, $"case {c}: decided {outage} s into an outage, grace {s.Settings.GracePeriod.TotalSeconds} s");
                    Assert.IsTrue(runtime >= s.Margin, $"case {c}: decided with {runtime} s runtime left, margin {s.Margin} s ({outcome.NewDecision.Reason})");
                }
            }

            Assert.IsTrue(decidedCount <= 1, $"case {c}: decided {decidedCount} times");
        }

        Assert.IsTrue(decisions > Cases / 10, $"only {decisions} of {Cases} scenarios shut down: the generator is too tame");
    }
}
