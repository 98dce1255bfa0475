using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using UpsAgent.Core.Processes;
using UpsAgent.Core.Timing;
using UpsAgent.Shutdown.Notifications;

namespace UpsAgent.Shutdown.Timers;

/// <summary>
/// upssched inside the agent: notifications start and cancel named timers; a timer that runs out,
/// an EXECUTE rule, or a CANCEL-TIMER of a timer not running (with a command) runs the timer
/// command with that name as its argument, as upssched runs CMDSCRIPT.
/// </summary>
public sealed class EventTimers(
    IReadOnlyList<TimerRule> rules,
    string? command,
    IProcessRunner processes,
    IClock clock,
    ILogger logger)
{
    private readonly object _gate = new();
    private readonly Dictionary<string, (TimeSpan Due, CancellationTokenSource Cancel)> _armed = new(StringComparer.Ordinal);

    /// <summary>Runs of the timer command, for tests and status: (argument, event that caused it).</summary>
    public event Action<string, NotifyEvent>? Fired;

    public ImmutableArray<(string Name, TimeSpan DueIn)> Armed
    {
        get
        {
            lock (_gate)
            {
                TimeSpan now = clock.Elapsed;
                return _armed.Select(p => (p.Key, p.Value.Due - now)).OrderBy(p => p.Item2).ToImmutableArray();
            }
        }
    }

    public void OnEvent(NotifyEvent e)
    {
        foreach (TimerRule rule in rules.Where(r => r.Matches(e)))
        {
            switch (rule.Action)
            {
                case TimerAction.StartTimer:
                    Start(rule, e);
                    break;
                case TimerAction.CancelTimer:
                    bool cancelled;
                    lock (_gate)
                    {
                        cancelled = _armed.Remove(rule.Timer!, out var timer);
                        if (cancelled)
                        {
                            timer.Cancel.Cancel();
                            timer.Cancel.Dispose();
                        }
                    }

                    logger.LogInformation("timer {Timer}: {What}", rule.Timer, cancelled ? "cancelled" : "not running");
                    if (!cancelled && rule.Argument is { } argument)
                    {
                        _ = RunAsync(argument, e);
                    }

                    break;
                case TimerAction.Execute:
                    _ = RunAsync(rule.Argument!, e);
                    break;
            }
        }
    }

    private void Start(TimerRule rule, NotifyEvent e)
    {
        var cancel = new CancellationTokenSource();
        lock (_gate)
        {
            if (_armed.ContainsKey(rule.Timer!))
            {
                cancel.Dispose();
                return; // upssched leaves a running timer alone
            }

            _armed[rule.Timer!] = (clock.Elapsed + rule.Delay, cancel);
        }

        logger.LogInformation("timer {Timer}: started, fires in {Seconds} s", rule.Timer, rule.Delay.TotalSeconds);
        _ = WaitAndFireAsync(rule.Timer!, rule.Delay, e, cancel);
    }

    private async Task WaitAndFireAsync(string name, TimeSpan delay, NotifyEvent e, CancellationTokenSource cancel)
    {
        try
        {
            await clock.DelayAsync(delay, cancel.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        lock (_gate)
        {
            if (!_armed.TryGetValue(name, out var current) || current.Cancel != cancel)
            {
                return;
            }

            _armed.Remove(name);
        }

        cancel.Dispose();
        logger.LogWarning("timer {Timer}: fired", name);
        await RunAsync(name, e).ConfigureAwait(false);
    }

    private async Task RunAsync(string argument, NotifyEvent e)
    {
        Fired?.Invoke(argument, e);
        if (command is null)
        {
            return;
        }

        ProcessSpec spec = ProcessSpec.Shell(command, argument) with
        {
            Environment = ImmutableDictionary<string, string>.Empty
                .Add("NOTIFYTYPE", NotifyTypeNames.Name(e.Type))
                .Add("UPSNAME", e.Ups),
        };
        ProcessResult result = await processes.RunAsync(spec, TimeSpan.FromMinutes(2), CancellationToken.None).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            logger.LogWarning("timer command for {Argument} ended with {Code}: {Output}", argument, result.ExitCode, result.Output.Trim());
        }
    }
}
