using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using UpsAgent.Core.Processes;

namespace UpsAgent.Shutdown.Notifications;

/// <summary>
/// Delivers notifications to the log, to logged-in terminals (wall) and to the notify command with
/// the environment upsmon gives it (NOTIFYTYPE, UPSNAME), so existing NUT notify scripts work.
/// </summary>
public sealed class Notifier(NotifySettings settings, IProcessRunner processes, ILogger logger)
{
    public event Action<NotifyEvent, string>? Delivered;

    public async Task NotifyAsync(NotifyEvent e, CancellationToken cancellationToken)
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

        var work = new List<Task>(2);
        if ((flags & NotifyFlags.Wall) != 0)
        {
            work.Add(RunQuietlyAsync(new ProcessSpec("wall", [message]), TimeSpan.FromSeconds(10), "wall", cancellationToken));
        }

        if ((flags & NotifyFlags.Exec) != 0 && settings.Command is { } command)
        {
            ProcessSpec spec = ProcessSpec.Shell(command, message) with
            {
                Environment = ImmutableDictionary<string, string>.Empty
                    .Add("NOTIFYTYPE", NotifyTypeNames.Name(e.Type))
                    .Add("UPSNAME", e.Ups),
            };
            work.Add(RunQuietlyAsync(spec, settings.CommandTimeLimit, "notify command", cancellationToken));
        }

        await Task.WhenAll(work).ConfigureAwait(false);
    }

    private async Task RunQuietlyAsync(ProcessSpec spec, TimeSpan limit, string what, CancellationToken cancellationToken)
    {
        ProcessResult result = await processes.RunAsync(spec, limit, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            logger.LogDebug("{What} {Spec} ended with {Code}{TimedOut}", what, spec, result.ExitCode, result.TimedOut ? " (killed at its time limit)" : string.Empty);
        }
    }
}
