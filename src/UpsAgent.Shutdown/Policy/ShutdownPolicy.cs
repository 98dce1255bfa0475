using System.Collections.Immutable;
using System.Globalization;

namespace UpsAgent.Shutdown.Policy;

/// <summary>
/// upsmon's decision rule as a pure function of readings, settings, memory and time, plus the
/// triggers admins add (time on battery, runtime, charge) behind a grace period.
/// Rule (clients/upsmon.c recalc): a UPS is critical when it reports FSD; when it is on battery and
/// low battery (not calibrating) and we are its primary, or we are a secondary and the primary has
/// not set FSD within host-sync; when it went silent for dead-time while on battery. The host shuts
/// down when the power values of the non-critical UPSes add up to less than min-supplies.
/// </summary>
public static class ShutdownPolicy
{
    public static PolicyOutcome Evaluate(
        ShutdownSettings settings,
        PolicyState state,
        IReadOnlyList<SupplyReading> readings,
        TimeSpan now)
    {
        var memories = state.Supplies.ToBuilder();
        var verdicts = ImmutableArray.CreateBuilder<SupplyVerdict>(settings.Supplies.Length);
        int healthy = 0;
        SupplyVerdict? firstCritical = null;
        foreach (SupplySettings supply in settings.Supplies)
        {
            SupplyReading? reading = readings.FirstOrDefault(r => string.Equals(r.Name, supply.Name, StringComparison.OrdinalIgnoreCase));
            SupplyMemory memory = state.For(supply.Name);
            (SupplyMemory next, SupplyVerdict verdict) = Judge(settings, supply, reading, memory, now);
            memories[supply.Name] = next;
            verdicts.Add(verdict);
            if (verdict.Critical)
            {
                firstCritical ??= verdict;
            }
            else
            {
                healthy += supply.PowerValue;
            }
        }

        ShutdownDecision? decision = null;
        if (state.Decision is null && healthy < settings.MinSupplies)
        {
            SupplyVerdict cause = firstCritical ?? verdicts.FirstOrDefault() ?? new SupplyVerdict("-", true, ShutdownReason.NotEnoughSupplies, "no supplies", TimeSpan.Zero);
            bool several = verdicts.Count(v => v.Critical) > 1;
            decision = new ShutdownDecision(
                now,
                several ? ShutdownReason.NotEnoughSupplies : cause.Reason ?? ShutdownReason.NotEnoughSupplies,
                cause.Ups,
                several
                    ? string.Create(CultureInfo.InvariantCulture, $"healthy power value {healthy} is below min-supplies {settings.MinSupplies}; first: {cause.Ups}: {cause.Detail}")
                    : cause.Detail,
                settings.Supplies.Where(s => s.Role == MonitorRole.Primary).Select(s => s.Name).ToImmutableArray());
        }

        return new PolicyOutcome(
            new PolicyState(memories.ToImmutable(), state.Decision ?? decision),
            verdicts.MoveToImmutable(),
            decision,
            healthy);
    }

    private static (SupplyMemory, SupplyVerdict) Judge(
        ShutdownSettings settings,
        SupplySettings supply,
        SupplyReading? reading,
        SupplyMemory memory,
        TimeSpan now)
    {
        string name = supply.Name;
        bool heard = reading?.LastHeard is not null;
        bool dead = heard && now - reading!.LastHeard!.Value > settings.DeadTime;
        SupplyMemory next = memory;
        if (reading is not null && heard && !dead)
        {
            next = new SupplyMemory(
                reading.OnBattery ? memory.OnBatterySince ?? now : null,
                reading.OnBattery && reading.LowBattery ? memory.LowBatterySince ?? now : null,
                reading.OnBattery);
        }

        TimeSpan onBatteryFor = next.OnBatterySince is { } since ? now - since : TimeSpan.Zero;
        bool graceOver = next.OnBatterySince is not null && onBatteryFor >= settings.GracePeriod;

        SupplyVerdict Critical(ShutdownReason reason, string detail) => new(name, true, reason, detail, onBatteryFor);

        if (reading is null || !heard)
        {
            // Never heard from: upsmon counts such a UPS as healthy rather than shut down blindly.
            return (next, new SupplyVerdict(name, false, null, "not heard from yet", onBatteryFor));
        }

        if (reading.ForcedShutdown)
        {
            return (next, Critical(ShutdownReason.ForcedShutdown, "FSD is set on the UPS"));
        }

        if (dead)
        {
            return next.LastKnownOnBattery && graceOver
                ? (next, Critical(ShutdownReason.DeadOnBattery, Format($"silent for {(now - reading.LastHeard!.Value).TotalSeconds:0} s (dead-time {settings.DeadTime.TotalSeconds:0} s) while on battery")))
                : (next, new SupplyVerdict(name, false, null, "silent, last seen on line", onBatteryFor));
        }

        if (!reading.OnBattery)
        {
            return (next, new SupplyVerdict(name, false, null, "on line", onBatteryFor));
        }

        if (!graceOver)
        {
            return (next, new SupplyVerdict(name, false, null, Format($"on battery {onBatteryFor.TotalSeconds:0.#} s, within the {settings.GracePeriod.TotalSeconds:0.#} s grace period"), onBatteryFor));
        }

        if (reading.LowBattery && !reading.Calibrating)
        {
            if (supply.Role == MonitorRole.Primary)
            {
                return (next, Critical(ShutdownReason.LowBattery, "on battery and low battery"));
            }

            TimeSpan low = now - (next.LowBatterySince ?? now);
            if (low > settings.HostSync)
            {
                return (next, Critical(ShutdownReason.PrimaryGaveNoFsd, Format($"low battery for {low.TotalSeconds:0} s without FSD from the primary (host-sync {settings.HostSync.TotalSeconds:0} s)")));
            }
        }

        if (settings.OnBatteryLimit is { } limit && onBatteryFor >= limit)
        {
            return (next, Critical(ShutdownReason.OnBatteryTooLong, Format($"on battery for {onBatteryFor.TotalSeconds:0} s (limit {limit.TotalSeconds:0} s)")));
        }

        if (settings.RuntimeBelow is { } runtime && reading.RuntimeSeconds is { } left && left < runtime.TotalSeconds)
        {
            return (next, Critical(ShutdownReason.RuntimeBelowThreshold, Format($"runtime {left:0} s is below {runtime.TotalSeconds:0} s")));
        }

        if (settings.ChargeBelowPercent is { } chargeLimit && reading.ChargePercent is { } charge && charge < chargeLimit)
        {
            return (next, Critical(ShutdownReason.ChargeBelowThreshold, Format($"charge {charge:0.#} % is below {chargeLimit:0.#} %")));
        }

        string waiting = reading.LowBattery && supply.Role == MonitorRole.Secondary ? ", low battery: waiting for the primary's FSD" : string.Empty;
        return (next, new SupplyVerdict(name, false, null, Format($"on battery for {onBatteryFor.TotalSeconds:0} s{waiting}"), onBatteryFor));
    }

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
