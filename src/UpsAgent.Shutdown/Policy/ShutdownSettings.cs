using System.Collections.Immutable;

namespace UpsAgent.Shutdown.Policy;

/// <summary>
/// When to shut this host down. upsmon's rule (on battery and low battery, or FSD) always holds;
/// the optional triggers are what admins ask for on top (the seed shut down 3 minutes into an outage).
/// </summary>
public sealed record ShutdownSettings
{
    public ImmutableArray<SupplySettings> Supplies { get; init; } = [];

    /// <summary>upsmon's MINSUPPLIES: shut down when the power value of healthy supplies drops below it.</summary>
    public int MinSupplies { get; init; } = 1;

    /// <summary>
    /// An outage must last this long before any trigger counts, so short blips never shut a host down.
    /// FSD from a primary is obeyed at once.
    /// </summary>
    public TimeSpan GracePeriod { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Shut down after this long on battery (null: no limit).</summary>
    public TimeSpan? OnBatteryLimit { get; init; }

    /// <summary>Shut down when battery.runtime falls below this while on battery (null: off).</summary>
    public TimeSpan? RuntimeBelow { get; init; }

    /// <summary>Shut down when battery.charge falls below this percentage while on battery (null: off).</summary>
    public double? ChargeBelowPercent { get; init; }

    /// <summary>upsmon's HOSTSYNC: how long a primary waits for secondaries, and a secondary for the primary's FSD.</summary>
    public TimeSpan HostSync { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>upsmon's DEADTIME: a UPS silent this long while on battery counts as critical.</summary>
    public TimeSpan DeadTime { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>upsmon's FINALDELAY: pause between the SHUTDOWN notice and the shutdown command.</summary>
    public TimeSpan FinalDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Problems that make the settings impossible (names the setting and the values), for start-up.
    /// An empty list means the settings can protect the host.
    /// </summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (Supplies.IsDefaultOrEmpty)
        {
            problems.Add("no UPS is monitored: nothing can trigger a shutdown");
            return problems;
        }

        int total = Supplies.Sum(s => s.PowerValue);
        if (total < MinSupplies)
        {
            problems.Add($"min-supplies {MinSupplies} is more than the monitored power values add up to ({total}): the host would shut down at once");
        }

        foreach (SupplySettings s in Supplies)
        {
            if (s.PowerValue < 0)
            {
                problems.Add($"UPS {s.Name}: power value {s.PowerValue} is negative");
            }
        }

        foreach (IGrouping<string, SupplySettings> g in Supplies.GroupBy(s => s.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
        {
            problems.Add($"UPS {g.Key} is monitored twice");
        }

        if (GracePeriod < TimeSpan.Zero || HostSync < TimeSpan.Zero || DeadTime < TimeSpan.Zero || FinalDelay < TimeSpan.Zero)
        {
            problems.Add("grace, host-sync, dead-time and final-delay cannot be negative");
        }

        if (OnBatteryLimit is { } limit && limit < GracePeriod)
        {
            problems.Add($"on-battery limit {limit.TotalSeconds:0} s is shorter than the grace period {GracePeriod.TotalSeconds:0} s; it would act as the grace period");
        }

        if (ChargeBelowPercent is { } charge && (charge <= 0 || charge > 100))
        {
            problems.Add($"charge threshold {charge} % is outside 0..100: it would never or always trigger");
        }

        if (RuntimeBelow is { } runtime && runtime <= TimeSpan.Zero)
        {
            problems.Add($"runtime threshold {runtime.TotalSeconds:0} s would never trigger");
        }

        return problems;
    }
}
