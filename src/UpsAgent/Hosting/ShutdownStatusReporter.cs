using UpsAgent.Configuration;
using UpsAgent.Console.Repl;
using UpsAgent.Shutdown.Monitoring;
using UpsAgent.Shutdown.Policy;
using UpsAgent.Shutdown.Timers;

namespace UpsAgent.Hosting;

/// <summary>The shutdown monitor's part of "status": each supply's verdict, armed timers, the decision.</summary>
public sealed class ShutdownStatusReporter(ShutdownMonitor monitor, EventTimers timers, AgentConfig config) : IStatusReporter
{
    public string Name => "shutdown";

    public void WriteStatus(TextWriter output)
    {
        output.WriteLine($"  command: {config.Shutdown.Command ?? "(none: decisions are logged and notified only)"}");
        foreach (ISupplySource source in monitor.Sources)
        {
            SupplyVerdict? verdict = monitor.Verdicts.FirstOrDefault(v => string.Equals(v.Ups, source.Settings.Name, StringComparison.OrdinalIgnoreCase));
            string state = verdict is null ? "not evaluated yet" : verdict.Critical ? $"CRITICAL: {verdict.Detail}" : verdict.Detail;
            string reach = source.Reachable ? string.Empty : " (unreachable" + (source is RemoteSupply r && r.LastError is { } e ? $": {e}" : string.Empty) + ")";
            output.WriteLine($"  {source.Name}: {source.Settings.Role.ToString().ToLowerInvariant()}, power value {source.Settings.PowerValue}: {state}{reach}");
        }

        foreach ((string name, TimeSpan dueIn) in timers.Armed)
        {
            output.WriteLine($"  timer {name}: fires in {dueIn.TotalSeconds:0} s");
        }

        output.WriteLine(monitor.Decision is { } d
            ? $"  DECIDED: {d.Reason} on {d.Ups}: {d.Detail}"
            : "  no shutdown decided");
    }
}
