using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using UpsAgent.Configuration;
using UpsAgent.Core.Commands;
using UpsAgent.Core.Processes;
using UpsAgent.Core.Timing;
using UpsAgent.Drivers.Simulated;
using UpsAgent.Shutdown.Execution;
using UpsAgent.Shutdown.Monitoring;
using UpsAgent.Shutdown.Notifications;
using UpsAgent.Shutdown.Policy;
using UpsAgent.Shutdown.Timers;

namespace UpsAgent.Hosting;

/// <summary>Builds the shutdown monitor (upsmon + upssched) from the configuration.</summary>
public static class ShutdownFactory
{
    /// <summary>The monitor entries in force: the configured ones, or every local UPS as its primary.</summary>
    public static IReadOnlyList<MonitorConfig> Monitors(AgentConfig config) =>
        config.Monitors.Count > 0
            ? config.Monitors
            : config.Ups.Select(u => new MonitorConfig(u.Name, u.Name, null, 0, 1, null, null, MonitorRole.Primary, u.Section)).ToList();

    public static ShutdownSettings PolicySettings(AgentConfig config) => config.Shutdown.Policy with
    {
        Supplies = Monitors(config).Select(m => new SupplySettings(m.IsLocal ? m.Ups : $"{m.Ups}@{m.Host}:{m.Port}", m.PowerValue, m.Role)).ToImmutableArray(),
    };

    /// <summary>Impossible settings are configuration errors: a host protected by them would not be protected.</summary>
    public static void Validate(AgentConfig config)
    {
        IReadOnlyList<string> problems = PolicySettings(config).Problems();
        if (problems.Count > 0)
        {
            throw new ConfigException(config.Source, 0, "shutdown", string.Join("; ", problems));
        }
    }

    public static IReadOnlyList<TimerRule> TimerRules(AgentConfig config) =>
        config.Shutdown.TimerRules.Select(r => new TimerRule(
            r.Type,
            r.Ups,
            r.Action switch { "START-TIMER" => TimerAction.StartTimer, "CANCEL-TIMER" => TimerAction.CancelTimer, _ => TimerAction.Execute },
            r.Timer,
            r.Delay ?? TimeSpan.Zero,
            r.Command)).ToList();

    public static (ShutdownMonitor Monitor, EventTimers Timers) Create(
        AgentConfig config,
        UpsRegistry registry,
        Func<string, int> loginsOf,
        IProcessRunner processes,
        IClock clock,
        Func<string, ILogger> loggers,
        TimeSpan? tick = null,
        IReadOnlyList<ShutdownHook>? engineHooks = null)
    {
        ShutdownSettings settings = PolicySettings(config);
        var sources = new List<ISupplySource>();
        foreach ((MonitorConfig m, SupplySettings supply) in Monitors(config).Zip(settings.Supplies))
        {
            if (m.IsLocal)
            {
                UpsUnit unit = registry.Find(m.Ups) ?? throw m.Section.Error($"no UPS named {m.Ups}");
                sources.Add(new LocalSupply(unit, supply, loginsOf));
            }
            else
            {
                var remote = new RemoteSupplySettings(m.Ups, m.Host!, m.Port, m.User!, m.Password!)
                {
                    PollInterval = config.Shutdown.PollInterval,
                    AlertPollInterval = config.Shutdown.AlertPollInterval,
                    Tls = m.Tls,
                };
                sources.Add(new RemoteSupply(remote, supply, clock, loggers($"monitor.{m.Label}")));
            }
        }

        ILogger logger = loggers("shutdown");
        var notifier = new Notifier(config.Shutdown.Notify, processes, loggers("notify"));
        var timers = new EventTimers(TimerRules(config), config.Shutdown.TimerCommand, processes, clock, loggers("timers"));
        notifier.Delivered += (e, _) => timers.OnEvent(e);
        // The engines' own hooks (quiesce RAID arrays) run before the configured commands.
        var configuredHooks = (engineHooks ?? []).Concat(config.Shutdown.Hooks
            .Select(h => new ShutdownHook(h.Name, h.TimeLimit, async ct =>
            {
                ProcessResult result = await processes.RunAsync(ProcessSpec.Shell(h.Command), h.TimeLimit, ct).ConfigureAwait(false);
                if (!result.Succeeded)
                {
                    throw new InvalidOperationException(result.TimedOut ? "killed at its time limit" : $"exit code {result.ExitCode}: {result.Output.Trim()}");
                }
            })))
            .ToList();
        var monitor = new ShutdownMonitor(
            settings,
            sources,
            notifier,
            configuredHooks,
            (decision, hooks) => new ShutdownExecutor(
                new ExecutorSettings
                {
                    ShutdownCommand = config.Shutdown.Command,
                    DryRunReason = DryRunReason(config, decision),
                    PowerDownFlagPath = config.Shutdown.PowerDownFlag,
                    HostSync = settings.HostSync,
                    FinalDelay = settings.FinalDelay,
                },
                sources.Select(s => s.FsdChannel).ToList(),
                hooks,
                notifier,
                processes,
                clock,
                logger),
            clock,
            logger,
            tick);
        return (monitor, timers);
    }

    /// <summary>A simulated UPS never powers a machine off unless the configuration says so.</summary>
    public static string? DryRunReason(AgentConfig config, ShutdownDecision decision)
    {
        if (config.Shutdown.AllowSimulated)
        {
            return null;
        }

        bool simulated = config.Ups.Any(u => u.Driver == SimulatedDriver.DriverName
            && string.Equals(u.Name, decision.Ups, StringComparison.OrdinalIgnoreCase));
        bool onlySimulated = config.Monitors.Count == 0 && config.Ups.All(u => u.Driver == SimulatedDriver.DriverName);
        return simulated || (decision.Reason == ShutdownReason.NotEnoughSupplies && onlySimulated)
            ? $"UPS {decision.Ups} is simulated (set allow-simulated = yes in [shutdown] to run it anyway)"
            : null;
    }
}
