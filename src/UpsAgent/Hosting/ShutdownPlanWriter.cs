using System.Globalization;
using UpsAgent.Configuration;
using UpsAgent.Shutdown.Policy;

namespace UpsAgent.Hosting;

/// <summary>"upsagent shutdown plan": what will happen, and when, during an outage with this configuration.</summary>
public static class ShutdownPlanWriter
{
    public static void Write(AgentConfig config, TextWriter o)
    {
        ShutdownConfig s = config.Shutdown;
        ShutdownSettings policy = ShutdownFactory.PolicySettings(config);
        IReadOnlyList<MonitorConfig> monitors = ShutdownFactory.Monitors(config);
        o.WriteLine("Supplies this host depends on:");
        foreach ((MonitorConfig m, SupplySettings supply) in monitors.Zip(policy.Supplies))
        {
            string where = m.IsLocal ? "driven by this agent" : $"on NUT server {m.Host}:{m.Port}, user {m.User}";
            o.WriteLine($"  {supply.Name}: {where}; this host is its {m.Role.ToString().ToLowerInvariant()}; power value {m.PowerValue}");
        }

        o.WriteLine(Inv($"The host stays up while the healthy supplies' power values add up to at least {s.Policy.MinSupplies} (min-supplies)."));
        o.WriteLine();
        o.WriteLine("When mains power fails:");
        o.WriteLine(Inv($"  0 s        ONBATT is notified; nothing else happens during the {s.Policy.GracePeriod.TotalSeconds:0} s grace period (blips end here)."));
        var triggers = new List<string>
        {
            "the UPS reports low battery (LB): "
            + (monitors.Any(m => m.Role == MonitorRole.Secondary)
                ? Inv($"as primary at once; as secondary when the primary sets FSD, or after host-sync {s.Policy.HostSync.TotalSeconds:0} s without it")
                : "at once, as its primary"),
            "a primary elsewhere sets FSD: at once, even within the grace period",
            Inv($"the UPS stops answering for dead-time {s.Policy.DeadTime.TotalSeconds:0} s while on battery"),
        };
        if (s.Policy.OnBatteryLimit is { } limit)
        {
            triggers.Add(Inv($"{limit.TotalSeconds:0} s on battery have passed"));
        }

        if (s.Policy.RuntimeBelow is { } runtime)
        {
            triggers.Add(Inv($"battery.runtime falls below {runtime.TotalSeconds:0} s"));
        }

        if (s.Policy.ChargeBelowPercent is { } charge)
        {
            triggers.Add(Inv($"battery.charge falls below {charge:0.#} %"));
        }

        o.WriteLine(Inv($"  {s.Policy.GracePeriod.TotalSeconds,3:0} s on   the host shuts down as soon as one of these holds:"));
        foreach (string trigger in triggers)
        {
            o.WriteLine($"               - {trigger}");
        }

        o.WriteLine();
        o.WriteLine("The shutdown itself, in order:");
        int step = 1;
        List<string> primaries = policy.Supplies.Where(p => p.Role == MonitorRole.Primary).Select(p => p.Name).ToList();
        if (primaries.Count > 0)
        {
            o.WriteLine(Inv($"  {step++}. set FSD on {string.Join(", ", primaries)} and wait up to host-sync {s.Policy.HostSync.TotalSeconds:0} s for their secondaries to log out"));
        }

        o.WriteLine($"  {step++}. notify SHUTDOWN; log out of NUT servers");
        foreach (HookConfig hook in s.Hooks)
        {
            o.WriteLine(Inv($"  {step++}. hook {hook.Name}: {hook.Command} (at most {hook.TimeLimit.TotalSeconds:0} s)"));
        }

        o.WriteLine(Inv($"  {step++}. wait the final delay of {s.Policy.FinalDelay.TotalSeconds:0} s"));
        if (s.PowerDownFlag is not null)
        {
            o.WriteLine($"  {step++}. write the power-down flag {s.PowerDownFlag} (the shutdown script then runs 'upsagent killpower')");
        }

        o.WriteLine(s.Command is null
            ? $"  {step}. no shutdown command is configured: the decision is logged and notified only"
            : $"  {step}. run '{s.Command}'" + (s.AllowSimulated || config.Ups.All(u => u.Driver != "simulated")
                ? string.Empty
                : " (not when a simulated UPS triggered it: allow-simulated is off)"));
        o.WriteLine();
        o.WriteLine(Inv($"Worst case from the trigger to the command: about {Worst(s, primaries.Count > 0):0} s."));
        o.WriteLine("Rehearse it with 'upsagent shutdown simulate'.");
    }

    private static double Worst(ShutdownConfig s, bool primary) =>
        (primary ? s.Policy.HostSync.TotalSeconds : 0) + 5 + s.Hooks.Sum(h => h.TimeLimit.TotalSeconds) + s.Policy.FinalDelay.TotalSeconds;

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
