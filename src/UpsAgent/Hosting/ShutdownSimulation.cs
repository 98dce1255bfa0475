using System.Globalization;
using UpsAgent.Configuration;
using UpsAgent.Core.Commands;
using UpsAgent.Core.State;
using UpsAgent.Core.Timing;
using UpsAgent.Drivers.Simulated;

namespace UpsAgent.Hosting;

/// <summary>
/// "upsagent shutdown simulate": every supply of the configuration is replaced by a simulated UPS
/// playing an outage sequence (once), and the real policy, notifications, timers and executor run
/// on an accelerated clock. Programs are not started; the timeline says what would have run.
/// </summary>
public static class ShutdownSimulation
{
    public static AgentConfig RehearsalConfig(AgentConfig config, string sequence)
    {
        var rehearsal = new AgentConfig { Source = config.Source, ControlSocket = null, LogLevel = Microsoft.Extensions.Logging.LogLevel.Error };
        rehearsal.Nut.Enabled = false;
        CopyShutdown(config.Shutdown, rehearsal.Shutdown);
        foreach (MonitorConfig m in ShutdownFactory.Monitors(config))
        {
            string name = m.IsLocal ? m.Ups : m.Label;
            var section = new ConfigSection("ups", name, "(simulation)", 0);
            section.Entries.Add(new ConfigEntry("file", sequence, "(simulation)", 0));
            section.Entries.Add(new ConfigEntry("mode", "once", "(simulation)", 0));
            rehearsal.Ups.Add(new UpsSettings(name, SimulatedDriver.DriverName, section) { Description = $"rehearsal of {m.Ups}" });
            rehearsal.Monitors.Add(m with { Label = name, Ups = name, Host = null, Port = 0, User = null, Password = null, Section = section });
        }

        return rehearsal;
    }

    public static async Task<int> RunAsync(AgentConfig config, string sequence, double speed, TimeSpan limit, TextWriter output, CancellationToken cancellationToken)
    {
        AgentConfig rehearsal = RehearsalConfig(config, sequence);
        var clock = new ScaledClock(speed);
        var processes = new RehearsalProcessRunner();
        TimeSpan origin = TimeSpan.Zero;
        var gate = new object();
        void Line(TimeSpan at, string text)
        {
            lock (gate)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"t+{(at - origin).TotalSeconds,7:0.0}s  {text}"));
            }
        }

        processes.WouldRun += spec => Line(clock.Elapsed, $"would run: {Describe(spec)}");
        await using var host = new AgentHost(rehearsal, AgentHostMode.Rehearsal, clock, TextWriter.Null, processes);
        clock.Restart();
        origin = clock.Elapsed;
        var watchers = new List<Task>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        foreach (UpsUnit unit in host.Registry.All)
        {
            watchers.Add(WatchAsync(unit, clock, Line, stop.Token));
        }

        await host.StartAsync(cancellationToken).ConfigureAwait(false);
        host.Shutdown!.Step += (at, text) => Line(at, text);
        Task deadline = clock.DelayAsync(limit, stop.Token);
        while (!cancellationToken.IsCancellationRequested)
        {
            if (host.Shutdown.Decision is not null)
            {
                await Task.WhenAny(host.Shutdown.Execution, deadline).ConfigureAwait(false);
                break;
            }

            if (deadline.IsCompleted)
            {
                break;
            }

            await Task.WhenAny(deadline, Task.Delay(5, cancellationToken)).ConfigureAwait(false);
        }

        await stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(watchers).ContinueWith(static _ => { }, TaskScheduler.Default).ConfigureAwait(false);
        if (host.Shutdown.Decision is null)
        {
            Line(clock.Elapsed, string.Create(CultureInfo.InvariantCulture, $"no shutdown within {limit.TotalSeconds:0} s of simulated time"));
            return 1;
        }

        return 0;
    }

    private static async Task WatchAsync(UpsUnit unit, IClock clock, Action<TimeSpan, string> line, CancellationToken cancellationToken)
    {
        using UpsStateSubscription subscription = unit.Store.Subscribe();
        string? last = null;
        try
        {
            await foreach (UpsState state in subscription.Changes.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                if (state.DataState != UpsDataState.Fresh)
                {
                    continue;
                }

                string text = string.Create(CultureInfo.InvariantCulture,
                    $"{state.StatusText} (charge {state.GetValue("battery.charge") ?? "?"} %, runtime {state.GetValue("battery.runtime") ?? "?"} s)");
                if (text != last)
                {
                    line(clock.Elapsed, $"{unit.Name}: {text}");
                    last = text;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static string Describe(Core.Processes.ProcessSpec spec)
    {
        if (spec.FileName == "/bin/sh" && spec.Arguments.Length >= 2)
        {
            string env = string.Join(' ', spec.Environment.Select(p => $"{p.Key}={p.Value}"));
            string args = spec.Arguments.Length > 3 ? " with " + string.Join(' ', spec.Arguments.Skip(3).Select(a => $"\"{a}\"")) : string.Empty;
            return (env.Length > 0 ? env + " " : string.Empty) + spec.Arguments[1] + args;
        }

        return spec.ToString();
    }

    private static void CopyShutdown(ShutdownConfig from, ShutdownConfig to)
    {
        to.Command = from.Command;
        to.PowerDownFlag = null; // a rehearsal leaves no flag behind
        to.Notify = from.Notify;
        to.Policy = from.Policy;
        to.PollInterval = from.PollInterval;
        to.AlertPollInterval = from.AlertPollInterval;
        to.AllowSimulated = true; // nothing is started anyway; show the command as it would run
        to.Hooks.AddRange(from.Hooks);
        to.TimerCommand = from.TimerCommand;
        to.TimerRules.AddRange(from.TimerRules);
    }
}
