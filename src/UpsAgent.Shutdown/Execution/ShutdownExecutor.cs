using System.Globalization;
using Microsoft.Extensions.Logging;
using UpsAgent.Core.Processes;
using UpsAgent.Core.Timing;
using UpsAgent.Shutdown.Notifications;
using UpsAgent.Shutdown.Policy;

namespace UpsAgent.Shutdown.Execution;

/// <summary>
/// Carries out a shutdown decision the way upsmon's primary does (set FSD, wait host-sync for the
/// secondaries to leave, SHUTDOWN notice, final delay, power-down flag, shutdown command), with
/// the pre-shutdown hooks between the notice and the delay. Every step lands in the timeline.
/// </summary>
public sealed class ShutdownExecutor(
    ExecutorSettings settings,
    IReadOnlyList<IFsdChannel> fsdChannels,
    IReadOnlyList<ShutdownHook> hooks,
    Notifier notifier,
    IProcessRunner processes,
    IClock clock,
    ILogger logger)
{
    private int _executed;

    /// <summary>Every step as it happens: monotonic time and a line of text.</summary>
    public event Action<TimeSpan, string>? Step;

    public async Task ExecuteAsync(ShutdownDecision decision, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _executed, 1) != 0)
        {
            Record("shutdown already under way; second decision ignored");
            return;
        }

        Record($"shutdown decided: {decision.Reason} on {decision.Ups}: {decision.Detail}");
        var channels = fsdChannels.Where(c => decision.SetFsdOn.Contains(c.Ups, StringComparer.OrdinalIgnoreCase)).ToList();
        foreach (IFsdChannel channel in channels)
        {
            bool set = await Guard(() => channel.SetForcedShutdownAsync(cancellationToken), false).ConfigureAwait(false);
            Record(set ? $"FSD set on {channel.Ups}" : $"could not set FSD on {channel.Ups}; its secondaries will decide alone");
        }

        if (channels.Count > 0)
        {
            notifier.Notify(new NotifyEvent(NotifyType.ShutdownHostSync, string.Empty, clock.UtcNow), cancellationToken);
            await WaitForSecondariesAsync(channels, cancellationToken).ConfigureAwait(false);
        }

        notifier.Notify(new NotifyEvent(NotifyType.Shutdown, string.Empty, clock.UtcNow), cancellationToken);
        Record("SHUTDOWN notified");
        foreach (ShutdownHook hook in hooks)
        {
            await RunHookAsync(hook, cancellationToken).ConfigureAwait(false);
        }

        if (settings.FinalDelay > TimeSpan.Zero)
        {
            Record(Invariant($"final delay {settings.FinalDelay.TotalSeconds:0.#} s"));
            await clock.DelayAsync(settings.FinalDelay, cancellationToken).ConfigureAwait(false);
        }

        if (settings.PowerDownFlagPath is { } flag)
        {
            try
            {
                PowerDownFlag.Write(flag);
                Record($"power-down flag written to {flag}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Record($"cannot write power-down flag {flag}: {e.Message}");
            }
        }

        if (settings.ShutdownCommand is null)
        {
            Record("no shutdown command configured: decision logged and notified only");
            return;
        }

        if (settings.DryRunReason is { } why)
        {
            Record($"would run shutdown command '{settings.ShutdownCommand}', but {why}");
            return;
        }

        Record($"running shutdown command '{settings.ShutdownCommand}'");
        ProcessResult result = await processes.RunAsync(ProcessSpec.Shell(settings.ShutdownCommand), settings.ShutdownCommandTimeLimit, cancellationToken).ConfigureAwait(false);
        Record(result.Succeeded
            ? "shutdown command finished"
            : Invariant($"shutdown command ended with {(result.TimedOut ? "a timeout" : "exit code " + result.ExitCode)}: {result.Output.Trim()}"));
    }

    private async Task WaitForSecondariesAsync(List<IFsdChannel> channels, CancellationToken cancellationToken)
    {
        TimeSpan deadline = clock.Elapsed + settings.HostSync;
        while (true)
        {
            int remaining = 0;
            foreach (IFsdChannel channel in channels)
            {
                int? count = await Guard(() => channel.CountSecondariesAsync(cancellationToken), (int?)null).ConfigureAwait(false);
                remaining += count ?? 0;
            }

            if (remaining == 0)
            {
                Record("all secondaries have logged out");
                return;
            }

            if (clock.Elapsed >= deadline)
            {
                Record(Invariant($"host-sync {settings.HostSync.TotalSeconds:0} s expired with {remaining} secondary login(s) left"));
                return;
            }

            await clock.DelayAsync(settings.HostSyncPoll, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task RunHookAsync(ShutdownHook hook, CancellationToken cancellationToken)
    {
        Record($"hook {hook.Name}: start (limit {hook.TimeLimit.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s)");
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task work;
        try
        {
            work = hook.RunAsync(limit.Token);
        }
        catch (Exception e)
        {
            Record($"hook {hook.Name}: failed: {e.Message}");
            return;
        }

        Task timer = clock.DelayAsync(hook.TimeLimit, limit.Token);
        Task first = await Task.WhenAny(work, timer).ConfigureAwait(false);
        if (first == work)
        {
            await limit.CancelAsync().ConfigureAwait(false);
            Record(work.IsCompletedSuccessfully ? $"hook {hook.Name}: done" : $"hook {hook.Name}: failed: {work.Exception?.GetBaseException().Message ?? "cancelled"}");
            return;
        }

        // A hook that overruns is abandoned, not awaited: the host must still go down.
        await limit.CancelAsync().ConfigureAwait(false);
        _ = work.ContinueWith(t => _ = t.Exception, TaskScheduler.Default);
        Record($"hook {hook.Name}: time limit reached; going on without it");
    }

    private async Task<T> Guard<T>(Func<Task<T>> action, T fallback)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning("shutdown step failed: {Message}", e.Message);
            return fallback;
        }
    }

    private void Record(string text)
    {
        logger.LogWarning("{Text}", text);
        Step?.Invoke(clock.Elapsed, text);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
