using System.Collections.Immutable;

namespace UpsAgent.Shutdown.Notifications;

/// <summary>NOTIFYCMD, NOTIFYFLAG and NOTIFYMSG in one place.</summary>
public sealed record NotifySettings
{
    /// <summary>Run with the message as $1 and NOTIFYTYPE/UPSNAME in the environment, as upsmon does.</summary>
    public string? Command { get; init; }

    public ImmutableDictionary<NotifyType, NotifyFlags> Flags { get; init; } = ImmutableDictionary<NotifyType, NotifyFlags>.Empty;

    public ImmutableDictionary<NotifyType, string> Messages { get; init; } = ImmutableDictionary<NotifyType, string>.Empty;

    /// <summary>How long a notify command may run before it is killed.</summary>
    public TimeSpan CommandTimeLimit { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// upsmon's defaults are SYSLOG+WALL (CAL: SYSLOG only); when a notify command is configured we
    /// also EXEC it for every type, which is what people configuring one expect.
    /// </summary>
    public NotifyFlags FlagsFor(NotifyType type)
    {
        if (Flags.TryGetValue(type, out NotifyFlags flags))
        {
            return flags;
        }

        NotifyFlags defaults = type is NotifyType.Calibrating or NotifyType.NotCalibrating
            ? NotifyFlags.Syslog
            : NotifyFlags.Syslog | NotifyFlags.Wall;
        return Command is null ? defaults : defaults | NotifyFlags.Exec;
    }

    public string MessageFor(NotifyType type) =>
        Messages.TryGetValue(type, out string? message) ? message : NotifyTypeNames.DefaultMessage(type);
}
