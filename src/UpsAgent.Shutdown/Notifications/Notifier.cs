using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using UpsAgent.Core.Processes;

namespace UpsAgent.Shutdown.Notifications;

/// <summary>
/// Delivers notifications to the log, to logged-in terminals (wall) and to the notify command with
/// the environment upsmon gives it (NOTIFYTYPE, UPSNAME), so existing NUT notify scripts work.
/// Like upsmon, which forks NOTIFYCMD and never waits for it, programs run in the background: a
/// script that mails or pages slowly never holds up monitoring or the shutdown.
/// </summary>
public sealed class Notifier(NotifySettings settings, IProcessRunner processes, ILogger logger)
{
    private readonly object _gate = new();
    private readonly List<Task> _running = [];

    public event Action<NotifyEvent, string>? Delivered;

    /// <summary>Completes when every program started so far has ended (for tests and rehearsals).</summary>
    public Task WhenIdleAsync()
    {
        lock (_gate)
        {
            _running.RemoveAll(t => t.IsCompleted);
            return Task.WhenAll(_running);
        }
    }

    /// <summary>Logs at once and starts the wall and notify programs without waiting for them.</summary>
    public void Notify(NotifyEvent e, CancellationToken cancellationToken)
    {
        NotifyFlags flags = settings.FlagsFor(e.Type);
        string message = e.Message(settings.MessageFor(e.Type));
        Delivered?.Invoke(e, message);
        if (flags == NotifyFlags.Ignore)
        {
            return;
        }

        if ((flags & NotifyFlags.Syslog) != 0)
        {
            LogLevel level = e.Type is NotifyType.OnBattery or NotifyType.LowBattery or NotifyType.ForcedShutdown
                or NotifyType.Shutdown or NotifyType.CommBad or NotifyType.NoComm or NotifyType.ReplaceBattery
                ? LogLevel.Warning
                : LogLevel.Information;
            logger.Log(level, "{Type}: {Message}", NotifyTypeNames.Name(e.Type), message);
        }

        if ((flags & NotifyFlags.Wall) != 0)
        {
            Track(RunQuietlyAsync(new ProcessSpec("wall", [message]), TimeSpan.FromSeconds(10), "wall", cancellationToken));
        }

        if ((flags & NotifyFlags.Exec) != 0 && settings.Command is { } command)
        {
            ProcessSpec spec = ProcessSpec.Shell(command, message) with
            {
                Environment = ImmutableDictionary<string, string>.Empty
                    .Add("NOTIFYTYPE", NotifyTypeNames.Name(e.Type))
                    .Add("UPSNAME", e.Ups),
            };
            Track(RunQuietlyAsync(spec, settings.CommandTimeLimit, "notify command", cancellationToken));
        }
    }

    private void Track(Task task)
    {
        lock (_gate)
        {
            _running.RemoveAll(t => t.IsCompleted);
            _running.Add(task);
        }
    }

    private async Task RunQuietlyAsync(ProcessSpec spec, TimeSpan limit, string what, CancellationToken cancellationToken)
    {
        try
        {
            ProcessResult result = await processes.RunAsync(spec, limit, cancellationToken).ConfigureAwait(false);
            if (!result.Succeeded)
            {
                logger.LogDebug("{What} {Spec} ended with {Code}{TimedOut}", what, spec, result.ExitCode, result.TimedOut ? " (killed at its time limit)" : string.Empty);
            }
        }
        catch (OperationCanceledException)
        {
            // the agent is stopping
        }
        catch (Exception ex)
        {
            logger.LogWarning("{What} {Spec} failed: {Message}", what, spec, ex.Message);
        }
    }
}
